"""The voice intents of agreement ("shall we?"): propose, accept and decline.

They do what the `partner_time.propose`, `accept` and `decline` actions do, through the
household's agreement (`agreement.py`), with the conversation's context: the person
who speaks is the one who asked (the status's `proposed_by`) or who answered. A
refusal (nothing proposed) is said as the dashboard says it, in the asking language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.helpers.llm import ToolAnnotations

from .voice_handler import START_SLOTS, PartnerTimeIntentHandler, Request
from .voice_words import say_duration

if TYPE_CHECKING:
    from .agreement import Agreement
    from .data import PartnerTimeData
    from .engine import PartnerTimeEngine

INTENT_PROPOSE: Final = "PartnerTimePropose"
INTENT_ACCEPT: Final = "PartnerTimeAccept"
INTENT_DECLINE: Final = "PartnerTimeDecline"


def agreement_of(engine: PartnerTimeEngine) -> Agreement:
    """Return the agreement of the household whose engine this is."""
    entry = engine.hass.config_entries.async_get_known_entry(engine.entry_id)
    data: PartnerTimeData = entry.runtime_data
    return data.agreement


class ProposeIntentHandler(PartnerTimeIntentHandler):
    """Ask the household for partner time now."""

    intent_type = INTENT_PROPOSE
    description = (
        "Proposes partner time now ('shall we?', 'ask for partner time'): every "
        "phone of the household is asked to say yes or no, and partner time starts "
        "only when someone accepts (PartnerTimeAccept). Optionally for minutes and/or "
        "hours (else the household's default duration). A new proposal replaces a "
        "pending one. To start at once without asking use PartnerTimeStart."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name, minutes and hours, all optional."""
        return START_SLOTS

    @override
    async def async_act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Propose, and say for how long and until when the others can say yes."""
        duration = request.duration() if request.has_duration else None
        await agreement_of(engine).async_propose(duration, None, request.call.context)
        proposal = engine.plan.proposal
        if proposal is None:  # pragma: no cover - a proposal is pending now
            return
        request.say(
            "proposed",
            engine,
            duration=say_duration(request.language, proposal.duration),
            until=request.until(proposal.until),
        )


class AcceptIntentHandler(PartnerTimeIntentHandler):
    """Say yes to the pending proposal."""

    intent_type = INTENT_ACCEPT
    description = (
        "Accepts the pending partner time proposal ('yes, partner time'): partner "
        "time starts now for the proposed duration. Refused when nothing is "
        "proposed; to start without a proposal use PartnerTimeStart."
    )

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Accept (refused when nothing is proposed); say until when it runs."""
        proposal = engine.plan.proposal
        agreement_of(engine).answer(request.call.context, yes=True)
        if engine.ends_at is not None and proposal is not None and proposal.by:
            request.say(
                "accepted_by",
                engine,
                by=proposal.by,
                until=request.until(engine.ends_at),
            )
        else:
            request.say_until("accepted", engine)


class DeclineIntentHandler(PartnerTimeIntentHandler):
    """Say no to the pending proposal."""

    intent_type = INTENT_DECLINE
    description = (
        "Declines the pending partner time proposal ('no, not now'): nothing starts, "
        "and the one who asked is told. Refused when nothing is proposed. Not for "
        "ending partner time that is on (PartnerTimeStop) or leaving out an agreed "
        "time (PartnerTimeSkip)."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Decline (refused when nothing is proposed)."""
        proposal = engine.plan.proposal
        agreement_of(engine).answer(request.call.context, yes=False)
        if proposal is not None and proposal.by:
            request.say("declined_by", engine, by=proposal.by)
        else:
            request.say("declined", engine)


AGREEMENT_HANDLERS: Final[tuple[type[PartnerTimeIntentHandler], ...]] = (
    ProposeIntentHandler,
    AcceptIntentHandler,
    DeclineIntentHandler,
)
