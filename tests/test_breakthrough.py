"""Callers who get through (issue #17): the babysitter rings through dinner.

The household's FRITZ!Box call monitor reports calls as core `fritzbox_callmonitor`
writes them (state ringing with `from`, `from_name`, `to`, `device`, `initiated`;
then talking or idle). The babysitter is listed once, in one notation; she calls in
others. What the household sees: the call announced on the kitchen speaker, the candles
flashing and back on, an urgent notification on the phone, the call not counted as
missed, and the end message saying she got through. The kitchen speaker is a media
player entity and the voice a TTS entity of a small test integration: `tts.speak` goes
from the engine to the player's `play_media` (as an announcement) as in any home; only
the sound itself is not made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from homeassistant.components.media_player import (
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    MediaType,
)
from homeassistant.components.tts import TextToSpeechEntity, TtsAudioType
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_capture_events,
    async_fire_time_changed,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.partner_time.breakthrough import caller_of, is_caller, normalise

from .common import attr, jump, state
from .household import CANDLES, PIXEL, async_add_household, async_setup_house

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .household import Phones

MONITOR = "sensor.fritz_box_call_monitor"
SPEAKER = "media_player.kitchen"
VOICE = "tts.home_voice"
HOUSEHOLD = "notify.household"
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DINNER = {"name": "Dinner", "days": EVERY_DAY, "start": "18:30", "end": "19:30"}
BABYSITTER = "+49 170 1234567"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Berlin, Germany, a Monday afternoon in June."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    hass.config.country = "DE"
    freezer.move_to("2026-06-01T17:00:00+02:00")


class Voice(TextToSpeechEntity):
    """A text-to-speech engine: the speech itself is a cloud service's, not HA's."""

    _attr_name = "Home voice"
    _attr_supported_languages: ClassVar[list[str]] = ["en", "de"]
    _attr_default_language = "en"

    def get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> TtsAudioType:
        """Return no sound: nobody listens in a test."""
        del message, language, options
        return ("mp3", b"")


class Speaker(MediaPlayerEntity):
    """The kitchen speaker: a media player that keeps what it was asked to play."""

    _attr_name = "Kitchen"
    _attr_supported_features = (
        MediaPlayerEntityFeature.PLAY_MEDIA | MediaPlayerEntityFeature.MEDIA_ANNOUNCE
    )
    _attr_state = MediaPlayerState.IDLE

    def __init__(self) -> None:
        """Nothing played yet."""
        self.played: list[dict[str, Any]] = []

    async def async_play_media(
        self, media_type: MediaType | str, media_id: str, **kwargs: Any
    ) -> None:
        """Keep what is played, and whether it is an announcement."""
        self.played.append({"media_type": media_type, "media_id": media_id, **kwargs})

    def said(self) -> list[str]:
        """Return each announcement's words (the tts media source's message)."""
        words = []
        for played in self.played:
            assert played["announce"] is True
            query = parse_qs(urlparse(played["media_id"]).query)
            words.append(query["message"][0])
        return words


class SpeakerFlow(ConfigFlow):
    """The speakers' integration's (unused) config flow."""

    VERSION = 1


@pytest.fixture
async def kitchen(hass: HomeAssistant) -> Speaker:
    """Return the kitchen speaker; what it announces comes through HA's tts.speak.

    A speakers integration adds a TTS engine and the kitchen's media player; tts.speak
    goes from the engine to the player's play_media as in any home.
    """
    speaker = Speaker()

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(
            entry, ["tts", "media_player"]
        )
        return True

    async def add_voice(
        _hass: HomeAssistant, _entry: ConfigEntry, add: AddConfigEntryEntitiesCallback
    ) -> None:
        add([Voice()])

    async def add_speaker(
        _hass: HomeAssistant, _entry: ConfigEntry, add: AddConfigEntryEntitiesCallback
    ) -> None:
        add([speaker])

    mock_integration(hass, MockModule("speakers", async_setup_entry=setup_entry))
    mock_platform(hass, "speakers.config_flow")
    mock_platform(hass, "speakers.tts", MockPlatform(async_setup_entry=add_voice))
    mock_platform(
        hass, "speakers.media_player", MockPlatform(async_setup_entry=add_speaker)
    )
    assert await async_setup_component(hass, "tts", {})
    assert await async_setup_component(hass, "media_player", {})
    entry = MockConfigEntry(domain="speakers")
    entry.add_to_hass(hass)
    with mock_config_flow("speakers", SpeakerFlow):
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(VOICE) is not None
    assert hass.states.get(SPEAKER) is not None
    return speaker


async def ring(hass: HomeAssistant, number: str, name: str | None = None) -> None:
    """Show a call coming in on the call monitor, as fritzbox_callmonitor writes it."""
    hass.states.async_set(
        MONITOR,
        "ringing",
        {
            "type": "incoming",
            "from": number,
            "to": "030 9876543",
            "device": "SIP0",
            "initiated": dt_util.now().isoformat(),
            "from_name": name,
        },
    )
    await hass.async_block_till_done(wait_background_tasks=True)


def hang_up(hass: HomeAssistant) -> None:
    """Nobody picked up: the call monitor goes back to idle."""
    hass.states.async_set(MONITOR, "idle", {"duration": 0})


async def household(hass: HomeAssistant, **changes: Any) -> Phones:
    """Set up the house, its call monitor idle, and a household that lets her through."""
    phones = await async_setup_house(hass)
    phones.add(HOUSEHOLD)
    hang_up(hass)
    options: dict[str, Any] = {
        "windows": [DINNER],
        "lead_time": 0,
        "notify": HOUSEHOLD,
        "breakthrough_callers": [BABYSITTER],
        "breakthrough_media_player": SPEAKER,
        "breakthrough_light": CANDLES,
        "breakthrough_notify": PIXEL,
    }
    options.update(changes)
    await async_add_household(hass, **options)
    return phones


async def flash_done(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the light's flash run to its end (a few seconds)."""
    for _ in range(5):
        freezer.tick(1)
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done(wait_background_tasks=True)


async def test_the_babysitter_gets_through_in_every_notation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """Listed as +49 170 1234567, she calls as 0170 1234567, 0049 (170) 123-4567, +49…."""
    phones = await household(hass)
    through = async_capture_events(hass, "partner_time_breakthrough")
    held = async_capture_events(hass, "partner_time_call_held")
    await jump(hass, freezer, "2026-06-01T18:30:00+02:00")
    assert state(hass, "switch.partner_time") == "on"
    assert state(hass, CANDLES) == "on"  # the dinner scene

    # 18:40: the FRITZ!Box phone book knows her as "Babysitter"
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await ring(hass, "01701234567", "Babysitter")
    assert [e.data["caller"] for e in through] == ["Babysitter"]
    assert through[0].data["entry_id"]
    assert through[0].data["name"] == "Partner time"
    assert kitchen.said() == ["Call from Babysitter"]
    assert kitchen.played[0]["media_id"].startswith(f"media-source://tts/{VOICE}?")
    assert state(hass, CANDLES) == "off"  # flashing
    urgent = phones.received[PIXEL][-1]
    assert urgent["message"] == "Call from Babysitter"
    assert urgent["data"]["priority"] == "high"
    assert urgent["data"]["ttl"] == 0
    assert urgent["data"]["channel"] == "Partner Time: calls that get through"
    assert urgent["data"]["push"] == {"interruption-level": "time-sensitive"}
    await flash_done(hass, freezer)
    assert state(hass, CANDLES) == "on"  # back as the scene left it
    hass.states.async_set(MONITOR, "talking", {"with": "01701234567"})
    hang_up(hass)
    await hass.async_block_till_done()

    # 18:50 and 19:00: the other notations, without a phone book name
    for at, number in (("18:50", "0049 (170) 123-4567"), ("19:00", "+491701234567")):
        await jump(hass, freezer, f"2026-06-01T{at}:00+02:00")
        await ring(hass, number)
        await flash_done(hass, freezer)
        hang_up(hass)  # she gave up: still not a held-back call
        await hass.async_block_till_done()
    assert [e.data["caller"] for e in through] == ["Babysitter", BABYSITTER, BABYSITTER]
    assert state(hass, "sensor.partner_time_missed_calls") == "0"
    assert held == []
    assert state(hass, CANDLES) == "on"
    assert state(hass, "switch.partner_time") == "on"  # partner time goes on

    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert phones.received[HOUSEHOLD][-1]["message"] == (
        "Partner time is over. Got through: Babysitter (18:40), "
        f"{BABYSITTER} (18:50), {BABYSITTER} (19:00)"
    )


async def test_an_unknown_caller_is_held_back_and_the_end_message_says_both(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """A sales call at 18:45 waits; the babysitter at 18:50 gets through."""
    phones = await household(hass)
    through = async_capture_events(hass, "partner_time_breakthrough")
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    await ring(hass, "0301234567", "Möbelhaus")
    assert (through, kitchen.said(), state(hass, CANDLES)) == ([], [], "on")  # no flash
    hang_up(hass)
    await jump(hass, freezer, "2026-06-01T18:50:00+02:00")
    await ring(hass, "0170 1234567", "Babysitter")
    await flash_done(hass, freezer)
    hang_up(hass)
    await hass.async_block_till_done()
    assert state(hass, "sensor.partner_time_missed_calls") == "1"
    assert attr(hass, "sensor.partner_time_missed_calls", "calls")[0]["from_name"] == (
        "Möbelhaus"
    )
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert phones.received[HOUSEHOLD][-1]["message"] == (
        "Partner time is over. 1 call during partner time: Möbelhaus (18:45). "
        "Got through: Babysitter (18:50)"
    )


async def test_a_caller_the_fritz_box_does_not_know_is_told_by_number(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """Repro: a caller not in the FRITZ!Box phone book came back as "unknown (18:45)".

    The call monitor names such a caller "unknown"; the household is told the number.
    """
    phones = await household(hass)
    await jump(hass, freezer, "2026-06-01T18:45:00+02:00")
    await ring(hass, "0301234567", "unknown")
    hang_up(hass)
    await hass.async_block_till_done()
    calls = attr(hass, "sensor.partner_time_missed_calls", "calls")
    assert [(call["from"], call["from_name"]) for call in calls] == [
        ("0301234567", None)
    ]
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert phones.received[HOUSEHOLD][-1]["message"] == (
        "Partner time is over. 1 call during partner time: 0301234567 (18:45)"
    )


async def test_outside_partner_time_nothing_rings_through(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """At 17:10 the phones are not silenced: the babysitter's call is just a call."""
    phones = await household(hass)
    through = async_capture_events(hass, "partner_time_breakthrough")
    await jump(hass, freezer, "2026-06-01T17:10:00+02:00")
    await ring(hass, "01701234567", "Babysitter")
    assert (through, kitchen.said(), state(hass, CANDLES)) == ([], [], "off")
    assert phones.received[PIXEL] == []


async def test_a_caller_listed_by_name_and_a_light_that_was_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """Grandma is listed by name; the hall light is off: it flashes on and goes off."""
    await household(
        hass,
        breakthrough_callers=["grandma"],
        breakthrough_light="light.dining",
        breakthrough_media_player=None,
        breakthrough_notify=None,
        scene=None,
    )
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": "light.dining"}, blocking=True
    )
    await jump(hass, freezer, "2026-06-01T18:35:00+02:00")
    await ring(hass, "0301234567", "Grandma")
    assert state(hass, "light.dining") == "on"
    await flash_done(hass, freezer)
    assert state(hass, "light.dining") == "off"
    assert kitchen.said() == []  # no speaker chosen


async def test_the_household_sets_callers_in_the_settings(
    hass: HomeAssistant, kitchen: Speaker
) -> None:
    """Configure → Who gets through: a typo is refused and named, then it is saved."""
    del kitchen
    await household(hass, breakthrough_callers=[])
    entry = hass.config_entries.async_entries("partner_time")[0]
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "through" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "through"}
    )
    form = {
        "breakthrough_callers": ["Babysitter", "+49 12"],
        "breakthrough_media_player": SPEAKER,
        "held_delivery": "each",
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result.get("errors") == {"breakthrough_callers": "invalid_caller"}, result
    assert result["description_placeholders"]["caller"] == "+49 12"
    assert entry.options["breakthrough_callers"] == []
    form["breakthrough_callers"] = [" Babysitter ", "0170 1234567", "Babysitter"]
    result = await hass.config_entries.options.async_configure(result["flow_id"], form)
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert entry.options["breakthrough_callers"] == ["Babysitter", "0170 1234567"]
    assert entry.options["breakthrough_media_player"] == SPEAKER
    assert "breakthrough_light" not in entry.options
    assert entry.options["held_delivery"] == "each"
    assert state(hass, "switch.partner_time") == "off"


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("+49 170 1234567", "DE", "+491701234567"),
        ("0049 (170) 123-4567", "DE", "+491701234567"),
        ("0170/1234567", "DE", "+491701234567"),
        ("0170 1234567", "AT", "+431701234567"),
        ("(0)170-1234567", None, "01701234567"),
        ("Babysitter", "DE", None),
    ],
)
def test_numbers_are_compared_in_one_notation(
    number: str, region: str | None, expected: str | None
) -> None:
    """Spaces, dashes, brackets, +49, 0049 and a leading 0 mean the same number."""
    assert normalise(number, region) == expected


def test_who_is_calling() -> None:
    """The call monitor's phone-book name is said; else the caller as listed."""
    callers = ["+49 170 1234567", "Oma"]
    assert caller_of(callers, {"from": "01701234567"}, "DE") == "+49 170 1234567"
    assert caller_of(callers, {"from": "0301234567", "from_name": "OMA"}, "DE") == "OMA"
    assert caller_of(callers, {"from": "0301234567"}, "DE") is None
    assert caller_of(callers, {}, "DE") is None
    assert is_caller("Babysitter", "DE")
    assert is_caller("0170 1234567", None)
    assert not is_caller("+49 12", "DE")
    assert not is_caller("12", None)


async def test_a_german_household_hears_it_in_german(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """Auf Deutsch: "Anruf von Babysitter", and "Durchgestellt" in the end message."""
    hass.config.language = "de"
    phones = await household(hass, breakthrough_light=None)
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await ring(hass, "0170 1234567", "Babysitter")
    assert kitchen.said() == ["Anruf von Babysitter"]
    assert phones.received[PIXEL][-1]["message"] == "Anruf von Babysitter"
    channel = phones.received[PIXEL][-1]["data"]["channel"]
    assert channel == "Partnerzeit: Anrufe, die durchkommen"  # its own Android channel
    hang_up(hass)
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert phones.received[HOUSEHOLD][-1]["message"] == (
        "Die Partnerzeit ist vorbei. Durchgestellt: Babysitter (18:40)"
    )


async def test_a_phone_that_is_off_does_not_stop_the_announcement(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The urgent notification fails (the phone is off): the speaker still says it."""
    phones = await household(hass, breakthrough_light=None)
    phones.failing.add(PIXEL)
    await jump(hass, freezer, "2026-06-01T18:40:00+02:00")
    await ring(hass, "0170 1234567", "Babysitter")
    assert kitchen.said() == ["Call from Babysitter"]
    assert (
        "a call that gets through via notify.mobile_app_pixel_8 failed" in caplog.text
    )
    assert state(hass, "switch.partner_time") == "on"


async def test_dinner_ends_while_the_light_flashes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kitchen: Speaker,
) -> None:
    """She calls at 19:29:59; at 19:30 the candles go back off as before dinner."""
    del kitchen
    await household(hass)
    await jump(hass, freezer, "2026-06-01T19:29:59+02:00")
    await ring(hass, "0170 1234567", "Babysitter")
    assert state(hass, CANDLES) == "off"  # the flash
    await jump(hass, freezer, "2026-06-01T19:30:00+02:00")
    assert state(hass, "switch.partner_time") == "off"
    await flash_done(hass, freezer)
    assert state(hass, CANDLES) == "off"  # as before dinner, not the scene's "on"
