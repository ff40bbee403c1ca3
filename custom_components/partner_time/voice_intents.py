"""The voice intents that act on partner time and answer questions about it.

Start, stop, extend, skip the next agreed time and undo that, pause and resume the
agreed times, and the questions (is it on, how much longer, when is the next one). Each
is a thin layer over a household's engine; the proposals ("shall we?") are in
`voice_agreement.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.helpers.llm import ToolAnnotations
from homeassistant.util import dt as dt_util

from .const import REASON_VOICE, SOURCE_VOICE
from .voice_handler import (
    EXTEND_SLOTS,
    START_SLOTS,
    PartnerTimeIntentHandler,
    Request,
)
from .voice_words import say_left

if TYPE_CHECKING:
    from .engine import PartnerTimeEngine

INTENT_START: Final = "PartnerTimeStart"
INTENT_STOP: Final = "PartnerTimeStop"
INTENT_EXTEND: Final = "PartnerTimeExtend"
INTENT_SKIP: Final = "PartnerTimeSkip"
INTENT_UNSKIP: Final = "PartnerTimeUnskip"
INTENT_PAUSE: Final = "PartnerTimePause"
INTENT_RESUME: Final = "PartnerTimeResume"
INTENT_STATUS: Final = "PartnerTimeStatus"
INTENT_REMAINING: Final = "PartnerTimeRemaining"
INTENT_NEXT: Final = "PartnerTimeNext"


class StartIntentHandler(PartnerTimeIntentHandler):
    """Start partner time now, optionally for a duration."""

    intent_type = INTENT_START
    description = (
        "Starts partner time now (also: begin, activate, 'let's have partner time'): "
        "phones go to Do Not Disturb, the lights to the household's scene and calls "
        "are forwarded. Without a duration it lasts to the end of the current agreed "
        "time or the household's default duration. A running partner time is never "
        "shortened. Not for making a running one longer: that is PartnerTimeExtend."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name, minutes and hours, all optional."""
        return START_SLOTS

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Start, or say that it is already on."""
        duration = request.duration() if request.has_duration else None
        was_active = engine.active
        engine.start(duration, request.call.context, source=SOURCE_VOICE)
        if not was_active:
            request.say_until("started", engine)
        elif duration is None:
            request.say_until("already_on", engine)
        else:
            request.say_until("now_until", engine)


class StopIntentHandler(PartnerTimeIntentHandler):
    """End partner time now."""

    intent_type = INTENT_STOP
    description = (
        "Ends the partner time that is on now (stop, cancel, end, finish) and puts "
        "phones, lights and call forwarding back. Agreed times that have not begun "
        "still start as agreed. To leave out a future agreed time use PartnerTimeSkip."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """End it, or say that it is not on."""
        if not engine.active:
            request.say("not_on", engine)
            return
        engine.stop(request.call.context, reason=REASON_VOICE)
        request.say("ended", engine)


class ExtendIntentHandler(PartnerTimeIntentHandler):
    """Make the running partner time longer."""

    intent_type = INTENT_EXTEND
    description = (
        "Makes the partner time that is on now longer by minutes and/or hours "
        "('10 more minutes', 'add half an hour'). Refused when none is on."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The household's name (optional), minutes or hours (at least one)."""
        return EXTEND_SLOTS

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Extend (the engine refuses when nothing runs)."""
        engine.extend(request.duration(), request.call.context, source=SOURCE_VOICE)
        request.say_until("extended", engine)


class SkipIntentHandler(PartnerTimeIntentHandler):
    """Leave out the next agreed time."""

    intent_type = INTENT_SKIP
    description = (
        "Skips the next agreed partner time (e.g. 'no partner time tonight'): it "
        "will not start. Does not end a partner time that is on now (that is "
        "PartnerTimeStop). Undo with PartnerTimeUnskip."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Skip (the engine refuses when nothing is ahead); say which, and what next."""
        skipped = engine.next_start
        engine.skip(context=request.call.context)
        begins = request.begins(skipped) if skipped else ""
        request.say("skipped", engine, begins=begins, then=request.then(engine))


class UnskipIntentHandler(PartnerTimeIntentHandler):
    """Undo the skips."""

    intent_type = INTENT_UNSKIP
    description = (
        "Undoes skipping: the agreed partner times that were skipped start as "
        "agreed again ('don't skip partner time after all')."
    )
    annotations = ToolAnnotations(destructive=False, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Undo, and say when the next one begins."""
        engine.unskip(request.call.context)
        request.say("unskipped", engine, then=request.then(engine))


class PauseIntentHandler(PartnerTimeIntentHandler):
    """Pause the agreed times."""

    intent_type = INTENT_PAUSE
    description = (
        "Pauses the household's schedule: the agreed partner times no longer start "
        "by themselves until resumed. Starting partner time by hand still works."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Pause, and say what that means."""
        engine.set_schedule_enabled(enabled=False, context=request.call.context)
        request.say("paused", engine)


class ResumeIntentHandler(PartnerTimeIntentHandler):
    """Follow the agreed times again."""

    intent_type = INTENT_RESUME
    description = (
        "Resumes the household's paused schedule: the agreed partner times start "
        "by themselves again (and skips are cleared)."
    )
    annotations = ToolAnnotations(idempotent=True, open_world=False)

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Resume, and say what is on or next."""
        engine.set_schedule_enabled(enabled=True, context=request.call.context)
        if engine.active and engine.ends_at is not None:
            request.say_until("resumed_on", engine)
        else:
            request.say("resumed", engine, then=request.then(engine))


class StatusIntentHandler(PartnerTimeIntentHandler):
    """Whether partner time is on and until when, or when the next one begins."""

    intent_type = INTENT_STATUS
    description = (
        "Answers whether partner time is on now and until when, or else when the "
        "next agreed time begins."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)
    question = True

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer the question."""
        request.say_state(engine)


class RemainingIntentHandler(PartnerTimeIntentHandler):
    """How much longer, and until when."""

    intent_type = INTENT_REMAINING
    description = (
        "Answers how much longer the partner time that is on lasts and when it "
        "ends ('25 more minutes, until 19:30')."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)
    question = True

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer with the minutes left and the end; else whether and when next."""
        if not engine.active or engine.ends_at is None:
            request.say_state(engine)
            return
        left = say_left(request.language, engine.ends_at - dt_util.utcnow())
        request.say("remaining", engine, left=left, until=request.until(engine.ends_at))


class NextIntentHandler(PartnerTimeIntentHandler):
    """When the next agreed time begins."""

    intent_type = INTENT_NEXT
    description = (
        "Answers when the next agreed partner time begins, with the day when it is "
        "not today."
    )
    annotations = ToolAnnotations(read_only=True, open_world=False)
    question = True

    @override
    def act(self, request: Request, engine: PartnerTimeEngine) -> None:
        """Answer with the next start (and what runs now)."""
        if not engine.schedule_enabled:
            request.say("next_paused", engine)
        elif engine.next_start is None:
            request.say("next_none", engine)
        elif engine.active and engine.ends_at is not None:
            request.say(
                "next_on",
                engine,
                until=request.until(engine.ends_at),
                begins=request.begins(engine.next_start),
            )
        else:
            request.say("next", engine, begins=request.begins(engine.next_start))


HANDLERS: Final[tuple[type[PartnerTimeIntentHandler], ...]] = (
    StartIntentHandler,
    StopIntentHandler,
    ExtendIntentHandler,
    SkipIntentHandler,
    UnskipIntentHandler,
    PauseIntentHandler,
    ResumeIntentHandler,
    StatusIntentHandler,
    RemainingIntentHandler,
    NextIntentHandler,
)
