"""Carrying out a household's transitions in the house, one after the other.

A start decides what it will change from the states right now (`House.plan_start`) and
issues every call side by side; an end undoes what the start recorded. The calls of one
household are serialized by a lock (across reloads). Once the calls are done, or
SETTLE_TURNS loop turns after they went out if one hangs (see `settled`), the entities
and the store are written.

Households can share a room: a target that another running household already changed
is joined, not recorded, and a household that ends hands what it recorded of a target
(how it was before the first began) to a running household that still wants it.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Final

from homeassistant.util.async_ import create_eager_task
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from homeassistant.core import Context

    from .engine import PartnerTimeEngine
    from .house import Applied
    from .record import Session

type Record = Callable[[], Coroutine[Any, Any, None]]
"""Writes a transition's record to the store."""
type Act = Callable[[asyncio.Future[None], Record], Coroutine[Any, Any, None]]
"""A transition's actions, run holding the lock: told the future to set once the
house settled, and how to write the record."""

SETTLE_TURNS: Final = 20
"""Loop turns a transition's entity writes wait at most for its house actions."""
LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_locks")
ENGINES: HassKey[dict[str, PartnerTimeEngine]] = HassKey(f"{DOMAIN}_engines")


async def settled(task: asyncio.Future[Any]) -> None:
    """Wait until `task` is done, but no more than SETTLE_TURNS loop turns.

    The loop turns are counted by a callback that looks once a turn (cheaper than a
    coroutine waking every turn); the waiting coroutine wakes once.
    """
    if task.done():
        return
    loop = task.get_loop()
    waiter: asyncio.Future[None] = loop.create_future()

    def wake(*_args: Any) -> None:
        if not waiter.done():
            waiter.set_result(None)

    def look(turns_left: int) -> None:
        if waiter.done():
            return
        if task.done() or not turns_left:
            wake()
        else:
            loop.call_soon(look, turns_left - 1)

    task.add_done_callback(wake)
    loop.call_soon(look, SETTLE_TURNS - 2)
    try:
        await waiter
    finally:
        task.remove_done_callback(wake)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _record_after(
    house: asyncio.Task[None], record: Record, settled_house: asyncio.Future[None]
) -> None:
    """Wait for the house's calls (see `settled`); then say so and write the store."""
    await settled(house)
    _settle(settled_house)
    await asyncio.gather(record(), house)


class Actions:
    """The house actions of one household's transitions."""

    def __init__(self, engine: PartnerTimeEngine) -> None:
        """Act for `engine`."""
        self.engine = engine
        self.hass = engine.hass
        self.tasks: set[asyncio.Task[None]] = set()
        self.recording = 0
        """Transitions whose record is still to be written once their calls are done:
        until then the engine leaves its saves to that write (it takes them along)."""

    def expect(self) -> None:
        """Expect a transition's actions (`start`, `end`), which follow at once."""
        self.recording += 1

    @property
    def lock(self) -> asyncio.Lock:
        """Serializes this household's house actions, across reloads."""
        return self.hass.data.setdefault(LOCKS, {}).setdefault(
            self.engine.entry_id, asyncio.Lock()
        )

    def start(self, session: Session, context: Context) -> asyncio.Future[None]:
        """Carry out a start in the background; see `_spawn` for what is returned."""
        return self._spawn(
            lambda done, record: self._async_start(session, context, done, record)
        )

    def end(self, session: Session, context: Context) -> asyncio.Future[None]:
        """Carry out an end in the background; see `_spawn` for what is returned."""
        return self._spawn(
            lambda done, record: self._async_end(session, context, done, record)
        )

    async def async_wait(self) -> None:
        """Wait until the house actions issued so far are done."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    def _spawn(self, act: Act) -> asyncio.Future[None]:
        """Run `act` in the background; return the future it sets once the house settled.

        That is when its calls are done (see `settled`); the store write after them
        is not waited for (the engine's wait is counted in loop turns and would spin
        the loop while an executor thread writes the file). `act` writes the store
        with the `record` it is given; one that ends without (nothing to do, or
        cancelled) leaves it to the engine's next save.
        """
        settled_house: asyncio.Future[None] = self.hass.loop.create_future()
        owed = True  # this transition's part of `recording`

        def pay() -> bool:
            """Give up this transition's part of `recording`; whether it had it."""
            nonlocal owed
            had, owed = owed, False
            self.recording -= had
            return had

        def record() -> Coroutine[Any, Any, None]:
            pay()
            return self.engine.async_save()

        async def run() -> None:
            try:
                if self.lock.locked():  # earlier actions still run: record this now
                    self.engine.write_soon()
                async with self.lock:
                    await act(settled_house, record)
            finally:
                _settle(settled_house)
                if pay():
                    self.engine.save()

        task: asyncio.Task[None] = self.hass.async_create_background_task(
            run(), f"{DOMAIN} {self.engine.entry_id} house actions"
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return settled_house

    def _others(self) -> list[PartnerTimeEngine]:
        engines = self.hass.data.get(ENGINES, {}).values()
        return [engine for engine in engines if engine is not self.engine]

    def _heirs(self) -> list[tuple[PartnerTimeEngine, Applied]]:
        """Return what the other running households changed (they may share targets)."""
        return [
            (engine, session.applied)
            for engine in self._others()
            if (session := engine.plan.session) is not None
            and session.applied is not None
        ]

    async def _async_start(
        self,
        session: Session,
        context: Context,
        settled_house: asyncio.Future[None],
        record: Record,
    ) -> None:
        engine = self.engine
        if engine.plan.session is not session:
            return  # ended before its turn came: nothing to do or undo
        taken = {target for _, heir in self._heirs() for target in heir.claims()}
        applied = engine.house.plan_start(engine.settings, context, taken)
        session.applied = applied
        # the calls go out first (eagerly); the record once they are done
        house = create_eager_task(
            engine.house.async_start(engine.settings, applied, context)
        )
        await _record_after(house, record, settled_house)

    async def _async_end(
        self,
        session: Session,
        context: Context,
        settled_house: asyncio.Future[None],
        record: Record,
    ) -> None:
        engine = self.engine
        applied = session.applied
        if applied is None:
            await record()
            return
        # what another running household wants, it keeps (and records)
        for heir, wants in self._heirs():
            if shared := applied.claims() & wants.claims():
                for target in shared:
                    applied.hand_over(target, wants)
                heir.save()
        # the calls go out first (eagerly); the record once they are done (a
        # restart before it is written ends the session again: nothing twice)
        house = create_eager_task(
            engine.house.async_end(engine.settings, applied, context)
        )
        await _record_after(house, record, settled_house)
