"""The actions on the house: silence phones, set the scene, forward calls, and undo it.

Every call to a target runs side by side with the others, bounded by ACTION_TIMEOUT;
failures are logged and recorded, never raised. `Applied` records exactly what we
changed, so the end undoes that and nothing else, even after a restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Context, HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.state import async_reproduce_state
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import create_eager_task

from .const import ACTION_TIMEOUT, LOGGER

if TYPE_CHECKING:
    from .settings import Phone, Settings

DND_COMMAND = "command_dnd"
DND_OFF = "off"
UNKNOWN_STATES = (None, STATE_UNKNOWN, STATE_UNAVAILABLE)


@dataclass(slots=True)
class Applied:
    """What one session changed in the house (persisted, so restarts can undo it).

    `joined` names the targets another running household had already changed when
    this session began: this one wants them too, but the other holds how they were
    before, and hands that over (`hand_over`) if it ends first.
    """

    context_id: str
    dnd_mode: str
    phones: list[str] = field(default_factory=list)
    lights: list[dict[str, Any]] = field(default_factory=list)
    switches: list[str] = field(default_factory=list)
    restore_lights: bool = True
    joined: list[str] = field(default_factory=list)

    def claims(self) -> set[str]:
        """Every target this session wants as it set it."""
        lights = {str(light.get("entity_id")) for light in self.lights}
        return {*self.phones, *lights, *self.switches, *self.joined}

    def hand_over(self, target: str, heir: Applied) -> None:
        """Give what we hold of `target` (how it was before) to `heir`, which wants it."""
        if target in self.phones:
            self.phones.remove(target)
            heir.phones.append(target)
        if target in self.switches:
            self.switches.remove(target)
            heir.switches.append(target)
        for light in [li for li in self.lights if li.get("entity_id") == target]:
            self.lights.remove(light)
            heir.lights.append(light)
        if target in heir.joined:
            heir.joined.remove(target)

    def as_dict(self) -> dict[str, Any]:
        """Serialize for the store.

        The lists are copied; the recorded light states are not (HA's state dicts
        are read-only, and nothing here changes one).
        """
        return {
            "context_id": self.context_id,
            "dnd_mode": self.dnd_mode,
            "phones": list(self.phones),
            "lights": [dict(light) for light in self.lights],
            "switches": list(self.switches),
            "restore_lights": self.restore_lights,
            "joined": list(self.joined),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Applied:
        """Read back from the store."""
        return cls(
            context_id=str(data["context_id"]),
            dnd_mode=str(data["dnd_mode"]),
            phones=[str(p) for p in data.get("phones", [])],
            lights=[dict(s) for s in data.get("lights", [])],
            switches=[str(s) for s in data.get("switches", [])],
            restore_lights=bool(data.get("restore_lights", True)),
            joined=[str(s) for s in data.get("joined", [])],
        )


@dataclass(slots=True)
class Result:
    """The outcome of the last call to one target (for diagnostics)."""

    target: str
    action: str
    outcome: str  # "ok", "error", "timeout", "missing", "unavailable"
    at: str
    detail: str | None = None


type Recorder = Callable[[Result], None]


async def _side_by_side(calls: list[Coroutine[Any, Any, None]]) -> None:
    """Run the calls side by side; each is dispatched at once (eager), not a loop turn later."""
    await asyncio.gather(*(create_eager_task(call) for call in calls))


class House:
    """Issues the calls of one household's start and end."""

    def __init__(self, hass: HomeAssistant, record: Recorder) -> None:
        """Remember where to send calls and where to record their results."""
        self._hass = hass
        self._record = record

    # -- planning (synchronous: reads states only) --------------------------------

    def plan_start(
        self,
        settings: Settings,
        context: Context,
        taken: AbstractSet[str] = frozenset(),
    ) -> Applied:
        """Decide and record what the start will change, from the states right now.

        Targets in `taken` are already held by another running household: they are
        joined, not recorded (their state now is that household's, not the room's).
        """
        applied = Applied(
            context_id=context.id,
            dnd_mode=settings.dnd_mode,
            restore_lights=settings.restore_lights,
        )
        for phone in settings.phones:
            if phone.notify in taken:
                applied.joined.append(phone.notify)
            elif self._dnd_already_on(phone):
                LOGGER.debug("%s: DND is already on; leaving it alone", phone.notify)
            else:
                applied.phones.append(phone.notify)
        scene = self._hass.states.get(settings.scene) if settings.scene else None
        lights = scene.attributes.get(ATTR_ENTITY_ID, []) if scene else []
        for entity_id in lights:
            if entity_id in taken:
                applied.joined.append(entity_id)
            elif (state := self._hass.states.get(entity_id)) is not None:
                applied.lights.append(state.as_dict())
        for switch in settings.forwarding_switches:
            state = self._hass.states.get(switch)
            if switch in taken:
                applied.joined.append(switch)
            elif state is not None and state.state == STATE_OFF:
                applied.switches.append(switch)
        return applied

    def _dnd_already_on(self, phone: Phone) -> bool:
        if not phone.dnd_sensor:
            return False
        state = self._hass.states.get(phone.dnd_sensor)
        return state is not None and state.state not in (*UNKNOWN_STATES, DND_OFF)

    # -- start and end ----------------------------------------------------------

    async def async_start(
        self, settings: Settings, applied: Applied, context: Context
    ) -> None:
        """Issue every start call side by side."""
        calls: list[Coroutine[Any, Any, None]] = [
            self._notify(phone, applied.dnd_mode, context) for phone in applied.phones
        ]
        if settings.scene:
            calls.append(
                self._call(
                    settings.scene, "scene", SERVICE_TURN_ON, settings.scene, context
                )
            )
        calls += [
            self._call(switch, "switch", SERVICE_TURN_ON, switch, context)
            for switch in applied.switches
        ]
        calls += [
            self._call(script, "script", SERVICE_TURN_ON, script, context)
            for script in settings.start_scripts
        ]
        await _side_by_side(calls)

    async def async_end(
        self, settings: Settings | None, applied: Applied, context: Context
    ) -> None:
        """Undo what `applied` records, side by side; run the end scripts."""
        calls: list[Coroutine[Any, Any, None]] = []
        sensors = {p.notify: p.dnd_sensor for p in settings.phones} if settings else {}
        for phone in applied.phones:
            sensor = sensors.get(phone)
            state = self._hass.states.get(sensor) if sensor else None
            if state is not None and state.state not in (
                *UNKNOWN_STATES,
                applied.dnd_mode,
            ):
                LOGGER.debug(
                    "%s: DND was changed by hand to %s; keeping it", phone, state.state
                )
                continue
            calls.append(self._notify(phone, DND_OFF, context))
        if applied.restore_lights and applied.lights:
            calls.append(self._restore_lights(applied, context))
        for switch in applied.switches:
            state = self._hass.states.get(switch)
            if state is not None and state.state == STATE_ON:
                calls.append(
                    self._call(switch, "switch", SERVICE_TURN_OFF, switch, context)
                )
        if settings:
            calls += [
                self._call(script, "script", SERVICE_TURN_ON, script, context)
                for script in settings.end_scripts
            ]
        await _side_by_side(calls)

    async def _restore_lights(self, applied: Applied, context: Context) -> None:
        """Put the scene's entities back, except those a person changed meanwhile."""
        states = []
        for recorded in applied.lights:
            state = State.from_dict(recorded)
            if state is None:
                continue
            current = self._hass.states.get(state.entity_id)
            if current is None:
                self._record(self._result(state.entity_id, "restore", "missing"))
                continue
            if (
                current.context.user_id is not None
                and current.context.id != applied.context_id
            ):
                LOGGER.debug(
                    "%s was changed by a person; not restoring it", state.entity_id
                )
                continue
            states.append(state)
        await self._guard(
            ",".join(s.entity_id for s in states) or "lights",
            "restore",
            lambda: async_reproduce_state(self._hass, states, context=context),
        )

    async def _notify(self, notify: str, command: str, context: Context) -> None:
        await self._call(
            notify,
            "notify",
            notify.partition(".")[2],
            None,
            context,
            {"message": DND_COMMAND, "data": {"command": command}},
        )

    async def _call(  # noqa: PLR0913, PLR0917 - one call, fully described
        self,
        target: str,
        domain: str,
        service: str,
        entity_id: str | None,
        context: Context,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Call one action on one target; record the outcome; never raise."""
        action = f"{domain}.{service}"
        if entity_id is None:
            if not self._hass.services.has_service(domain, service):
                self._record(self._result(target, action, "missing"))
                return
        else:
            state = self._hass.states.get(entity_id)
            if state is None:
                self._record(self._result(target, action, "missing"))
                return
            if state.state == STATE_UNAVAILABLE:
                self._record(self._result(target, action, "unavailable"))
                return
            data = {ATTR_ENTITY_ID: entity_id, **(data or {})}
        await self._guard(
            target,
            action,
            lambda: self._hass.services.async_call(
                domain, service, data, blocking=True, context=context
            ),
        )

    async def _guard(
        self, target: str, action: str, call: Callable[[], Awaitable[Any]]
    ) -> None:
        """Run one call within the timeout; log and record what happened."""
        try:
            async with asyncio.timeout(ACTION_TIMEOUT):
                await call()
        except TimeoutError:
            LOGGER.warning(
                "%s on %s took longer than %ss", action, target, ACTION_TIMEOUT
            )
            self._record(self._result(target, action, "timeout"))
        except (HomeAssistantError, ValueError) as err:
            LOGGER.warning("%s on %s failed: %s", action, target, err)
            self._record(self._result(target, action, "error", str(err)))
        except Exception as err:  # noqa: BLE001 - a target's bug must not break the session
            LOGGER.exception("%s on %s failed unexpectedly", action, target)
            self._record(self._result(target, action, "error", repr(err)))
        else:
            self._record(self._result(target, action, "ok"))

    @staticmethod
    def _result(
        target: str, action: str, outcome: str, detail: str | None = None
    ) -> Result:
        return Result(target, action, outcome, dt_util.utcnow().isoformat(), detail)
