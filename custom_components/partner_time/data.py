"""The runtime data of one household's config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .agreement import Agreement
    from .engine import PartnerTimeEngine
    from .insight import Insight


@dataclass(slots=True)
class PartnerTimeData:
    """What a loaded household holds: its engine, its insight and its agreement."""

    engine: PartnerTimeEngine
    insight: Insight
    agreement: Agreement


type PartnerTimeConfigEntry = ConfigEntry[PartnerTimeData]
