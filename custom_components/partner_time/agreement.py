"""Agreement ("shall we?"): one partner proposes partner time, the other says yes or no.

`propose` asks every phone of the household with an actionable notification (companion
app, Android and iOS: an accept and a decline action whose ids name the household, and
a tag so a later message replaces it) and fires `partner_time_proposed`. A tap on a
phone (the `mobile_app_notification_action` event, listened to only while a proposal
is pending), the `partner_time.accept` / `decline` actions or voice answer it. Yes
starts partner time for the proposed duration (source `agreed`); yes, no or no answer
within the household's timeout clears the question on every phone and tells the one
who asked. The rules and the pending proposal (kept across restarts) are the plan's.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    HomeAssistant,
    callback,
)
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .phrases import phrase, when
from .proposal import Proposal, action_ids, tag_of
from .send import async_call_quietly

if TYPE_CHECKING:
    from homeassistant.auth.models import User

    from .engine import PartnerTimeEngine
    from .events import Transition

NOTIFICATION_ACTION: Final = "mobile_app_notification_action"
CLEAR: Final = "clear_notification"


class Agreement:
    """Proposals of one household and their answers."""

    def __init__(self, hass: HomeAssistant, engine: PartnerTimeEngine) -> None:
        """Prepare; `async_start` begins listening."""
        self.hass, self.engine = hass, engine
        self.unsubs: list[CALLBACK_TYPE] = []
        self.unsub_action: CALLBACK_TYPE | None = None

    @callback
    def async_start(self) -> None:
        """Hear of answers and lapsed proposals (before the engine is set up)."""
        self.unsubs.append(self.engine.async_add_transition_listener(self._on_news))

    @callback
    def async_resume(self) -> None:
        """Listen to the phones if a proposal is pending (after the engine's setup)."""
        self._listen(on=self.engine.plan.proposal is not None)

    @callback
    def async_stop(self) -> None:
        """Stop listening."""
        for unsub in self.unsubs:
            with suppress(ValueError):  # the engine drops its listeners on unload
                unsub()
        self.unsubs.clear()
        self._listen(on=False)

    # -- requests ----------------------------------------------------------------------

    async def async_propose(
        self,
        duration: timedelta | None = None,
        message: str | None = None,
        context: Context | None = None,
    ) -> None:
        """Propose partner time now, for `duration` (the default duration if none)."""
        user_id = context.user_id if context else None
        user = await self.hass.auth.async_get_user(user_id) if user_id else None
        settings = self.engine.settings
        now = dt_util.utcnow()
        proposal = Proposal(
            by=self._name_of(user) if user else None,
            at=now,
            until=now + timedelta(minutes=settings.proposal_timeout),
            duration=duration or timedelta(minutes=settings.default_duration),
            message=message,
            by_user=user_id,
        )
        self.engine.do(lambda _now: self.engine.plan.propose(proposal), context)
        self.engine.announce.proposal("proposed", proposal, self.engine.context)
        self._listen(on=True)
        self._send_all(self._question(proposal), context)

    def _name_of(self, user: User) -> str:
        """Return how the household knows a user: the person's name, else the user's."""
        for person in self.hass.states.async_all("person"):
            if person.attributes.get("user_id") == user.id:
                return person.name
        return user.name or user.id

    def answer(self, context: Context | None = None, *, yes: bool) -> None:
        """Accept (partner time starts for the proposed duration) or decline."""
        proposal = self.engine.plan.proposal
        self.engine.do(lambda now: self.engine.plan.answer(now, yes=yes), context)
        if proposal is not None:
            kind = "accepted" if yes else "declined"
            self.engine.announce.proposal(kind, proposal, self.engine.context)

    # -- what the phones are told ------------------------------------------------------

    def _question(self, proposal: Proposal) -> dict[str, Any]:
        language = self.hass.config.language
        minutes = round(proposal.duration.total_seconds() / 60)
        text = phrase(
            language,
            "proposal",
            by=proposal.by or phrase(language, "someone"),
            minutes=minutes,
        )
        accept, decline = action_ids(self.engine.entry_id)
        return {
            "title": phrase(language, "proposal_title"),
            "message": f"{text} {proposal.message}" if proposal.message else text,
            "data": {
                "tag": tag_of(self.engine.entry_id),
                "actions": [
                    {"action": accept, "title": phrase(language, "yes")},
                    {"action": decline, "title": phrase(language, "no")},
                ],
            },
        }

    @callback
    def _on_news(self, transition: Transition) -> None:
        """Clear the phones and tell the one who asked: a proposal was answered or lapsed."""
        proposal = transition.proposal
        if proposal is None or transition.kind == "proposed":
            return
        self._listen(on=False)
        language = self.hass.config.language
        clear = {"message": CLEAR, "data": {"tag": tag_of(self.engine.entry_id)}}
        self._send_all(clear, transition.context)
        if transition.kind == "accepted" and (ends := self.engine.ends_at):
            text = phrase(
                language, "accepted", time=when(language, ends, dt_util.utcnow())
            )
        else:
            text = phrase(language, transition.kind)
        target = self._proposer_phone(proposal) or self.engine.settings.notify_service
        if target:
            self._send([target], {"message": text}, transition.context)

    def _proposer_phone(self, proposal: Proposal) -> str | None:
        """Return the notify service of a phone of the person who asked, if any."""
        for person in self.hass.states.async_all("person"):
            if proposal.by_user is None or person.attributes.get("user_id") != (
                proposal.by_user
            ):
                continue
            for tracker in person.attributes.get("device_trackers", []):
                service = f"mobile_app_{tracker.partition('.')[2]}"
                if self.hass.services.has_service("notify", service):
                    return service
        return None

    def _send_all(self, data: dict[str, Any], context: Context | None) -> None:
        phones = [
            phone.notify.partition(".")[2] for phone in self.engine.settings.phones
        ]
        self._send(phones, data, context)

    def _send(
        self, services: list[str], data: dict[str, Any], context: Context | None
    ) -> None:
        for service in services:
            self.hass.async_create_background_task(
                self._async_send(service, data, context),
                f"{DOMAIN} {self.engine.entry_id} proposal",
            )

    async def _async_send(
        self, service: str, data: dict[str, Any], context: Context | None
    ) -> None:
        await async_call_quietly(
            self.hass,
            self.engine.title,
            f"notify.{service}",
            data,
            context,
            what="proposal",
        )

    # -- what the phones answer --------------------------------------------------------

    def _listen(self, *, on: bool) -> None:
        if on and self.unsub_action is None:
            self.unsub_action = self.hass.bus.async_listen(
                NOTIFICATION_ACTION, self._on_action
            )
        elif not on and self.unsub_action is not None:
            self.unsub_action()
            self.unsub_action = None

    @callback
    def _on_action(self, event: Event[dict[str, Any]]) -> None:
        accept, decline = action_ids(self.engine.entry_id)
        action = event.data.get("action")
        if action not in (accept, decline) or self.engine.plan.proposal is None:
            return
        self.answer(Context(parent_id=event.context.id), yes=action == accept)
