"""What the household watches: its targets, its call sensors, and renames.

* Targets (phones, scene, switches, scripts, notify action) that do not exist raise the
  `missing_target` repair issue, which clears once they are back or no longer in the
  settings.
* Call sensors (a phone's `phone_state`, a FRITZ!Box call monitor): a call ringing
  during partner time is held back; if it is answered in the house (ringing → offhook
  or talking) it was not held back after all; one that stops ringing unanswered fires
  `partner_time_call_held`. A caller the household lets through is not held back: it
  is kept as "got through" and announced (breakthrough.py).
* A rename in the entity registry is followed: the entry's options name the new id,
  the engine takes the new settings over in place, and what a running session changed
  is renamed too, so its end undoes the right entity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import EVENT_SERVICE_REGISTERED
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.entity_registry import (
    EVENT_ENTITY_REGISTRY_UPDATED,
    EventEntityRegistryUpdatedData,
)
from homeassistant.helpers.event import async_track_state_change_event

from .breakthrough import caller_of, shown_name
from .const import (
    CONF_CALL_SENSORS,
    CONF_DND_SENSOR,
    CONF_END_SCRIPTS,
    CONF_FORWARDING_SWITCHES,
    CONF_SCENE,
    CONF_START_SCRIPTS,
    EVENT_CALL_HELD,
    LOGGER,
)
from .presence import Presence, presence_of
from .repairs import set_missing_target, sync_missing_targets

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .data import PartnerTimeConfigEntry
    from .engine import PartnerTimeEngine
    from .house import Applied, Result

RINGING = "ringing"
ANSWERED = ("offhook", "talking")
# option keys holding a list of entity ids (notify targets are actions, not entities)
LIST_KEYS = (
    CONF_FORWARDING_SWITCHES,
    CONF_START_SCRIPTS,
    CONF_END_SCRIPTS,
    CONF_CALL_SENSORS,
)


class Watch:
    """One household's watch over its targets and call sensors."""

    def __init__(self, hass: HomeAssistant, engine: PartnerTimeEngine) -> None:
        """Watch for `engine`; nothing is tracked until `track`."""
        self.hass = hass
        self.engine = engine
        self.unsubs: list[CALLBACK_TYPE] = []
        self.flagged: set[str] = set()
        self.results: dict[str, Result] = {}
        self.unsub_people: CALLBACK_TYPE | None = None
        self.unsub_calls: CALLBACK_TYPE | None = None
        # call sensors ringing with a caller who was let through
        self.through: set[str] = set()

    def track(self) -> None:
        """Follow the states of the targets and call sensors the settings name now."""
        self.stop()
        settings = self.engine.settings
        targets = [t for t in settings.targets() if not t.startswith("notify.")]
        if targets:
            self.unsubs.append(
                async_track_state_change_event(self.hass, targets, self._on_target)
            )
        if settings.notify or settings.phones:
            self.unsubs.append(
                self.hass.bus.async_listen(
                    EVENT_SERVICE_REGISTERED, self._on_service_registered
                )
            )

    def stop(self) -> None:
        """Stop following."""
        for unsub in self.unsubs:
            unsub()
        self.unsubs.clear()
        self.follow(due=False, running=False)

    # -- people -------------------------------------------------------------------

    def presence(self) -> Presence:
        """Whether the household's presence rule holds now, and who is missing."""
        settings = self.engine.settings
        people = {}
        for person in settings.people:
            state = self.hass.states.get(person)
            name = state.name if state else person
            people[person] = (state.state if state else None, name)
        return presence_of(settings.presence, people)

    def follow(self, *, due: bool, running: bool) -> None:
        """Follow the people while an agreed time is due, the calls while one runs.

        Only then: idle, a household listens to neither.
        """
        settings = self.engine.settings
        people = settings.people
        wanted = due and bool(people) and settings.presence != "ignore"
        if wanted and self.unsub_people is None:
            self.unsub_people = async_track_state_change_event(
                self.hass, list(people), self._on_person
            )
        elif not wanted and self.unsub_people is not None:
            self.unsub_people()
            self.unsub_people = None
        wanted = running and bool(settings.call_sensors)
        if wanted and self.unsub_calls is None:
            self.unsub_calls = async_track_state_change_event(
                self.hass, list(settings.call_sensors), self._on_call_sensor
            )
        elif not wanted and self.unsub_calls is not None:
            self.unsub_calls()
            self.unsub_calls = None
            self.through.clear()

    @callback
    def _on_person(self, _event: Event[EventStateChangedData]) -> None:
        self.engine.evaluate()

    # -- targets ------------------------------------------------------------------

    def check_targets(self) -> None:
        """Raise or clear the issue of every target; clear those no longer set."""
        targets = self.engine.settings.targets()
        missing = set()
        for target in targets:
            domain, _, name = target.partition(".")
            if domain == "notify":
                gone = not self.hass.services.has_service(domain, name)
            else:
                gone = self.hass.states.get(target) is None
            if gone:
                missing.add(target)
        engine = self.engine
        sync_missing_targets(self.hass, engine.entry_id, engine.title, targets, missing)
        self.flagged = missing

    def set_missing(self, target: str, *, missing: bool) -> None:
        """Raise or clear the repair issue of one target."""
        engine = self.engine
        set_missing_target(
            self.hass, engine.entry_id, engine.title, target, missing=missing
        )
        if missing:
            self.flagged.add(target)
        else:
            self.flagged.discard(target)

    def on_result(self, result: Result) -> None:
        """Keep the outcome of the last call to a target (diagnostics, repairs)."""
        self.results[result.target] = result
        if result.outcome == "missing":
            self.set_missing(result.target, missing=True)

    @callback
    def _on_target(self, event: Event[EventStateChangedData]) -> None:
        """Raise or clear a repair when a target appears or goes away (only then)."""
        old, new = event.data["old_state"], event.data["new_state"]
        if (old is None) == (new is None):
            return
        target = event.data["entity_id"]
        if self.engine.started and target in self.engine.settings.targets():
            self.set_missing(target, missing=new is None)

    @callback
    def _on_service_registered(self, event: Event[Any]) -> None:
        if self.engine.started and event.data.get("domain") == "notify":
            self.check_targets()

    @callback
    def target_removed(self, entity_id: str) -> None:
        """Entity `entity_id` was removed from the entity registry."""
        if self.engine.started and entity_id in self.engine.settings.targets():
            self.set_missing(entity_id, missing=True)

    # -- calls --------------------------------------------------------------------

    @callback
    def _on_call_sensor(self, event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        plan = self.engine.plan
        if plan.session is None or new is None:
            return
        sensor = new.entity_id
        was_ringing = old is not None and old.state == RINGING
        if new.state == RINGING and not was_ringing:
            self._ringing(new)
        elif was_ringing and sensor in self.through:
            self.through.discard(sensor)
            return  # a caller who got through: neither held back nor missed
        elif was_ringing and new.state in ANSWERED:
            ringing = [c for c in plan.calls if c.get("sensor") == sensor]
            if ringing:  # answered in the house: not held back
                plan.calls.remove(ringing[-1])
        elif was_ringing and new.state != RINGING:
            held = [c for c in plan.calls if c.get("sensor") == sensor]
            engine = self.engine
            self.hass.bus.async_fire(
                EVENT_CALL_HELD,
                {
                    "entry_id": engine.entry_id,
                    "name": engine.title,
                    "sensor": sensor,
                    "from": held[-1].get("from") if held else None,
                    "from_name": held[-1].get("from_name") if held else None,
                },
                context=engine.context,
            )
            return
        else:
            return
        self.engine.save()
        self.engine.notify_listeners()

    def _ringing(self, new: State) -> None:
        """Hold back a ringing call, or let it through if the caller is listed."""
        plan, engine = self.engine.plan, self.engine
        call = {
            "sensor": new.entity_id,
            "from": new.attributes.get("from"),
            "from_name": shown_name(new.attributes),
            "at": new.last_changed.isoformat(),
        }
        caller = caller_of(
            engine.settings.breakthrough_callers,
            new.attributes,
            self.hass.config.country,
        )
        if caller is None or plan.session is None:
            plan.calls.append(call)
            return
        self.through.add(new.entity_id)
        plan.through.append({**call, "from_name": caller})
        engine.announce.breakthrough(plan.session, caller, call, engine.context)

    # -- renames ------------------------------------------------------------------

    @callback
    def follow_rename(self, old: str, new: str) -> None:
        """Follow entity `old`, now `new`, in what a running session changed.

        The settings follow through the entry (options and phone subentries), whose
        update listener takes them over in place.
        """
        session = self.engine.plan.session
        if session is None or session.applied is None:
            return
        if rename_applied(session.applied, old, new):
            LOGGER.info("%s: following %s, now called %s", self.engine.title, old, new)
            self.engine.save()


def renamed_options(
    options: Mapping[str, Any], old: str, new: str
) -> dict[str, Any] | None:
    """`options` with every reference to entity `old` changed to `new`; None if none."""
    out = dict(options)
    for key in LIST_KEYS:
        values = options.get(key)
        if isinstance(values, list | tuple) and old in values:
            out[key] = [new if value == old else value for value in values]
    if options.get(CONF_SCENE) == old:
        out[CONF_SCENE] = new
    if options.get(CONF_DND_SENSOR) == old:  # a phone subentry's data
        out[CONF_DND_SENSOR] = new
    return out if out != dict(options) else None


def rename_applied(applied: Applied, old: str, new: str) -> bool:
    """Rename `old` to `new` in what a session changed; whether anything was renamed."""
    changed = False
    if old in applied.switches:
        applied.switches = [new if s == old else s for s in applied.switches]
        changed = True
    if old in applied.joined:
        applied.joined = [new if s == old else s for s in applied.joined]
        changed = True
    for index, light in enumerate(applied.lights):
        if light.get("entity_id") == old:  # a recorded state, read-only
            applied.lights[index] = {**light, "entity_id": new}
            changed = True
    return changed


@callback
def async_follow_targets(
    hass: HomeAssistant, entry: PartnerTimeConfigEntry
) -> CALLBACK_TYPE:
    """Follow renames and removals of the entry's targets; returns the undo."""

    @callback
    def _on_registry_updated(event: Event[EventEntityRegistryUpdatedData]) -> None:
        data = event.data
        watch = entry.runtime_data.engine.watch
        if data["action"] == "remove":
            watch.target_removed(data["entity_id"])
            return
        if data["action"] != "update" or "old_entity_id" not in data:
            return
        old, new = data["old_entity_id"], data["entity_id"]
        watch.follow_rename(old, new)
        for subentry in list(entry.subentries.values()):
            if (renamed := renamed_options(subentry.data, old, new)) is not None:
                hass.config_entries.async_update_subentry(entry, subentry, data=renamed)
        if (options := renamed_options(entry.options, old, new)) is not None:
            hass.config_entries.async_update_entry(entry, options=options)

    return hass.bus.async_listen(EVENT_ENTITY_REGISTRY_UPDATED, _on_registry_updated)
