"""The benchmark table: rows recorded by the benchmarks, the machine, RESULTS.md.

The benchmarks call `record` (or `record_paired`); at the end of the session
conftest.py calls `finish`, which prints the table and writes benchmarks/RESULTS.md
(or, under scripts/bench, the process's results as JSON, for
`python -m benchmarks.report A.json B.json ...` to pool the processes of each run and
combine the runs).
"""

# ruff: noqa: T201 - printing the table is the point
# ruff: noqa: RUF001, RUF002 - the multiplication sign is meant

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .stats import (
    median,
    overhead_ratio,
    overheads,
    paired_ratio,
    percentile,
    tail_ratio,
)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTIONS = {
    "latency": "1. Transition latency",
    "fanout": "2. Fan-out",
    "setup": "3. Setup cost",
    "idle": "4. Idle cost",
    "math": "5. Schedule math",
    "work": "6. Work per transition",
}
BASELINE = "schedule helper + automation"
SPREAD_LIMIT = 0.10
IN_ROOT = "PARTNER_TIME_IN_ROOT"


@dataclass
class Row:
    """One measured quantity: Partner Time's value and the baseline's, if any."""

    section: str
    metric: str
    ours: float
    base: float | None = None
    unit: str = "ms"
    goal: str = ""
    met: bool | None = None
    paired: float | None = None
    """For contenders measured in pairs, round by round: the median of the rounds'
    ratios (PT ÷ baseline), which drift between rounds hits on both sides."""
    samples: dict[str, list[float]] | None = None
    """The paired rounds themselves (`ours`, `base`, in `unit`), for a row that is
    recomputed when the processes of a run are pooled (see `record_paired`)."""
    stat: str | None = None
    """What a row with samples shows: "median", "p99" or "overhead" (see
    `summarized`)."""
    limit: float | None = None
    """The goal on the ratio, if any: met when the ratio is at most this."""
    count: int | None = None
    """How many paired rounds a row with samples was computed from."""
    sizes: list[int] | None = None
    """How many of them each process measured, in the order of the samples."""
    bare: float | None = None
    """For an "overhead" row: the median of the third contender, the bare house work
    both sides' values are measured over (`{bare}` in the metric shows it)."""

    @property
    def key(self) -> str:
        """What identifies the row across processes and runs."""
        return f"{self.section}: {self.metric}"

    @property
    def label(self) -> str:
        """The metric as shown: `{n}` in it is the number of paired rounds."""
        if self.count is None:
            return self.metric
        return self.metric.format(
            n=f"{self.count:,}", bare=number(self.bare, self.unit)
        )

    @property
    def ratio(self) -> float | None:
        """Partner Time ÷ baseline (below 1: Partner Time costs less).

        For paired rows the median of the rounds' ratios, else value ÷ value.
        """
        if self.paired is not None:
            return self.paired
        if self.base is None or self.base == 0:
            return None
        return self.ours / self.base


ROWS: list[Row] = []
NOTES: list[str] = []


def record(  # noqa: PLR0913 - one row has this many parts
    section: str,
    metric: str,
    ours: float,
    base: float | None = None,
    *,
    unit: str = "ms",
    goal: str = "",
    met: bool | None = None,
    paired: float | None = None,
) -> None:
    """Add one row to this session's table (`paired`: see Row.paired)."""
    if section not in SECTIONS:
        msg = f"unknown section {section!r}"
        raise ValueError(msg)
    ROWS.append(Row(section, metric, ours, base, unit, goal, met, paired))


def record_paired(  # noqa: PLR0913 - one row has this many parts
    section: str,
    metric: str,
    ours: list[float],
    base: list[float],
    *,
    stat: str = "median",
    unit: str = "ms",
    goal: str = "",
    limit: float | None = None,
) -> None:
    """Add a row of paired rounds (ours[i] and base[i] measured side by side).

    It shows each side's `stat` ("median" or "p99") and the paired ratio (see
    `summarized`); `{n}` in `metric` becomes the number of rounds. The rounds are
    kept, so the processes of one run are pooled before the ratio is taken.
    """
    if section not in SECTIONS:
        msg = f"unknown section {section!r}"
        raise ValueError(msg)
    row = Row(section, metric, 0, 0, unit, goal, stat=stat, limit=limit)
    ROWS.append(summarized(row, list(ours), list(base)))


def record_overhead(  # noqa: PLR0913 - one row has this many parts
    section: str,
    metric: str,
    ours: list[float],
    base: list[float],
    bare: list[float],
    *,
    unit: str = "ms",
    goal: str = "",
    limit: float | None = None,
) -> None:
    """Add a row of what each side adds over a third contender measured alongside.

    ours[i], base[i] and bare[i] are measured in the same round. It shows each
    side's overhead over bare and their ratio (see `stats.overhead_ratio`); `{n}`
    in `metric` becomes the number of rounds, `{bare}` bare's median.
    """
    if section not in SECTIONS:
        msg = f"unknown section {section!r}"
        raise ValueError(msg)
    row = Row(section, metric, 0, 0, unit, goal, stat="overhead", limit=limit)
    ROWS.append(summarized(row, list(ours), list(base), bare=list(bare)))


def summarized(
    row: Row,
    ours: list[float],
    base: list[float],
    sizes: list[int] | None = None,
    bare: list[float] | None = None,
) -> Row:
    """Return `row` with these rounds and the values and ratio computed from them.

    median: each side's median, and the median of all rounds' own ratios;
    p99: each side's p99, and the median of the processes' own p99 ratios
    (`sizes`: the rounds of each process, in order; see `stats.tail_ratio`);
    overhead: each side's median difference to `bare` (measured in the same
    rounds) and the ratio of the two (see `stats.overhead_ratio`).
    """
    sizes = sizes or [len(ours)]
    samples = {"ours": ours, "base": base}
    if row.stat == "overhead":
        if bare is None:
            msg = "an overhead row needs the bare rounds"
            raise ValueError(msg)
        values = overheads(ours, base, bare)
        paired = overhead_ratio(ours, base, bare)
        samples["bare"] = bare
        row = replace(row, bare=median(bare))
    elif row.stat == "median":
        values, paired = (median(ours), median(base)), paired_ratio(ours, base)
    elif row.stat == "p99":
        values = (percentile(ours, 0.99), percentile(base, 0.99))
        paired = tail_ratio(ours, base, sizes)
    else:
        msg = f"unknown statistic {row.stat!r}"
        raise ValueError(msg)
    met = None if row.limit is None else paired <= row.limit
    return replace(
        row,
        ours=values[0],
        base=values[1],
        paired=paired,
        met=met,
        samples=samples,
        count=len(ours),
        sizes=sizes,
    )


def note(text: str) -> None:
    """Add a remark printed below the table (e.g. what a count is made of)."""
    NOTES.append(text)


# -- the machine -----------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _code() -> str:
    try:
        found = subprocess.run(  # noqa: S603 - a fixed command
            ["git", "-C", str(HERE.parent), "describe", "--always", "--dirty"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except OSError, subprocess.SubprocessError:
        return "unknown"
    return found.stdout.strip()


def _code_hash() -> str:
    """Fingerprint the integration's files, to tell whether runs measured the same code."""
    digest = hashlib.sha256()
    for path in sorted((HERE.parent / "custom_components").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".json", ".yaml"}:
            digest.update(str(path.relative_to(HERE.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    """Describe what the numbers were measured on."""
    cores = os.cpu_count() or 0
    usable = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "CPU": _cpu_model(),
        "Cores": f"{cores} logical"
        + (f"; the benchmarks pinned to CPU {usable[0]}" if len(usable) == 1 else ""),
        "Memory": _memory(),
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": f"{platform.python_implementation()} {sys.version.split()[0]}"
        + (" (Debian sid root of scripts/lib.sh)" if os.environ.get(IN_ROOT) else ""),
        "Home Assistant": _version("homeassistant"),
        "pytest-homeassistant-custom-component": _version(
            "pytest-homeassistant-custom-component"
        ),
        "Partner Time": f"git {_code()}, files sha256 {_code_hash()}",
        "Load average at the end": load,
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# -- formatting ------------------------------------------------------------------


def number(value: float | None, unit: str = "") -> str:
    """Format a value with about three significant digits, and its unit."""
    if value is None:
        return "—"
    if value == int(value) and abs(value) < 1e6 and unit in {"", "count"}:  # noqa: PLR2004
        text = str(int(value))
    elif abs(value) >= 100:  # noqa: PLR2004
        text = f"{value:,.0f}"
    elif abs(value) >= 10:  # noqa: PLR2004
        text = f"{value:.1f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}" if unit and unit != "count" else text


def ratio(value: float | None, *, paired: bool = False) -> str:
    """Format a ratio like 0.42× (0.42×† when it is the median of paired rounds)."""
    return "—" if value is None else f"{number(value)}×{'†' * paired}"


MET = {True: "yes", False: "**no**", None: ""}


def table(rows: list[Row]) -> str:
    """Format the rows as a Markdown table, in section order."""
    lines = [
        (
            f"| Benchmark | Metric | Partner Time | {BASELINE}"
            " | Ratio (PT ÷ baseline) | Goal | Met |"
        ),
        "|---|---|---:|---:|---:|---|---|",
    ]
    order = list(SECTIONS)
    lines += [
        f"| {SECTIONS[row.section]} | {row.label} | {number(row.ours, row.unit)}"
        f" | {number(row.base, row.unit)}"
        f" | {ratio(row.ratio, paired=row.paired is not None)} | {row.goal}"
        f" | {MET[row.met]} |"
        for row in sorted(rows, key=lambda row: order.index(row.section))
    ]
    return "\n".join(lines)


def _machine_lines(description: dict[str, str]) -> str:
    return "\n".join(f"- {name}: {value}" for name, value in description.items())


HEADER = f"""# Partner Time benchmarks

Partner Time against what a household would use instead: HA's `schedule` helper
driving an automation with the same actions in a plain sequence ("{BASELINE}").
Real HA core through pytest-homeassistant-custom-component, real entities (template
lights, a template call-deflection switch, a scene); only the phones' push channel is
mocked. Ratio = Partner Time ÷ baseline: below 1 means Partner Time is faster or costs
less; a ratio marked † is paired: both contenders are measured round by round,
interleaved (A B A B …), and the ratio is the median of the rounds' own ratios, so drift
of the machine between rounds hits both sides alike (the values shown are each side's
own median). Run with `scripts/bench`: three runs (`--runs 1` for one), each of
eight processes (PARTNER_TIME_BENCH_PROCESSES): the rounds of the paired benchmarks
(latency, setup, re-evaluation, work per transition) are shared out among a run's processes and pooled
before the ratio is taken, as pyperf does, so what one process's memory layout
favours is averaged out; the other benchmarks run in the first process. The runs'
processes take turns (run 1's first process, run 2's first, …, run 1's second, …), so
a slow spell of this shared virtual machine lands in all runs alike rather than
shifting one run's ratios by 10-25 %; how far the runs still differ is the
repeatability table. Each process is pinned to one CPU, so HA's loop and its executor threads take turns on it (see
benchmarks/conftest.py). Each number's method is in the docstring of its
benchmarks/bench_*.py. In short:

- Time is driven with freezer; timings use the real `time.perf_counter`. A transition
  is timed from running its due timer to the last action call entering
  `ServiceRegistry.async_call` ("dispatched") and to the last target state written
  and push returned ("applied"). The heap is frozen (gc.freeze) while timing.
- Latency: both start on every simulated day, one after the other (paired by day);
  the p99's ratio is the median of the processes' own p99 ÷ p99;
  the goal is judged on the ratio shown. Automatic garbage collection is paused and a
  collection runs between transitions, so none is charged to either side. Partner
  Time writes its own entities (switches, sensors, calendar) once a transition's house
  actions are done, at most 20 loop turns after it (so "applied" does not include
  them; the baseline's schedule entity and automation write theirs before the
  actions). The mocked phones answer at once and every target is HA code in the same
  loop, so doing them side by side cannot win time there; fan-out shows the gain when
  targets take time (each push 200 ms of real time).
- Setup: Partner Time adds config entries; the baseline reloads `schedule` and
  `automation` from YAML (how HA applies helpers and automations added in the UI);
  paired round by round.
- Idle: Partner Time's engine keeps one timer per household; its calendar entity is
  HA's CalendarEntity, which arms two more by itself (at the start and the end of the
  event it shows, again on every write of its state). Partner Time overrides no
  private method of HA, so they stay; they have a row of their own, and "all it adds
  to the loop" counts them. Timer firings over a day are counted minute by minute.
- Memory: tracemalloc, without the copy of each written file that the harness's
  mocked storage keeps.
- Work per transition: a third contender runs alongside, the bare house work (the
  same calls as Partner Time's house, side by side, straight from a timer callback:
  no engine, no entities, no store, no events). Measured is the loop thread's CPU time
  (`time.thread_time`) from running a transition's timer until the house has settled,
  for each of the three, every day one after the other; the store writes as HA's own
  does on the loop (not the harness's mock). "Over the bare house work" is the median
  of the days' own differences (Partner Time - bare; helper + automation - bare),
  bare's median in brackets; their ratio (Partner Time's overhead ÷ the helper +
  automation's) has the goal ≤ 0.5. The bare house work issues its calls side by
  side, as Partner Time does; the automation issues them one after the other (tried:
  the bare calls in sequence cost within a few percent of side by side, so the
  helper + automation's overhead hardly depends on it). A note counts each
  contender's state writes per transition. What Partner Time's overhead is made of
  is measured alongside: three more Partner Time households on the same house, each
  at its own hour of every day, one without its entity writes, one without its store
  write and one without either (the engine alone: the plan, the events, the actions'
  bookkeeping, the timer; HA's calendar still writes itself at the event's start);
  their rows have no goal. The entity writes and the store write are what the
  household sees and what keeps tonight's undo record safe across a power cut.
"""


def _notes(notes: list[str]) -> str:
    return "\n".join(f"- {text}" for text in notes)


def markdown(
    rows: list[Row],
    description: dict[str, str],
    notes: list[str],
    runs: list[dict[str, Any]] | None = None,
) -> str:
    """RESULTS.md: the machine, the table and, for several runs, the repeatability."""
    parts = [HEADER, "## Machine\n", _machine_lines(description), ""]
    if runs and len(runs) > 1:
        parts += [f"## Results (median of {len(runs)} runs)\n", table(rows)]
    else:
        parts += ["## Results (one run)\n", table(rows)]
    if notes:
        parts += ["", _notes(notes)]
    if runs and len(runs) > 1:
        parts += ["", repeatability(runs)]
        for index, run in enumerate(runs, 1):
            load = run["machine"].get("Load average at the end", "?")
            title = (
                f"## Run {index} ({run.get('seconds', 0):.0f} s, load average {load})"
            )
            parts += ["", title + "\n", table(_rows(run))]
    return "\n".join(parts) + "\n"


# -- several runs ----------------------------------------------------------------


def _rows(run: dict[str, Any]) -> list[Row]:
    return [Row(**row) for row in run["rows"]]


def _by_key(groups: list[list[Row]]) -> dict[str, list[Row]]:
    by_key: dict[str, list[Row]] = {}
    for rows in groups:
        for row in rows:
            by_key.setdefault(row.key, []).append(row)
    return by_key


def _merged(same: list[Row]) -> Row:
    """One row with the median of the rows' values and ratios, met if all met."""
    mets = [row.met for row in same]
    pairs = [row.paired for row in same]
    bases = [row.base for row in same if row.base is not None]
    bares = [row.bare for row in same if row.bare is not None]
    return replace(
        same[0],
        ours=median(row.ours for row in same),
        base=median(bases) if bases else None,
        bare=median(bares) if bares else None,
        met=None if None in mets else all(m is True for m in mets),
        paired=None if None in pairs else median(p for p in pairs if p is not None),
        samples=None,
        sizes=None,
    )


def pool(processes: list[list[Row]]) -> list[Row]:
    """One row per metric from the processes of one run.

    Paired rounds are pooled and the row recomputed from all of them (see
    `summarized`); other rows get the median of the processes' values.
    """
    pooled = []
    for same in _by_key(processes).values():
        if all(row.samples is not None for row in same):
            ours = [value for row in same for value in (row.samples or {})["ours"]]
            base = [value for row in same for value in (row.samples or {})["base"]]
            sizes = [size for row in same for size in (row.sizes or [])]
            bare = [
                value for row in same for value in (row.samples or {}).get("bare", [])
            ]
            pooled.append(summarized(same[0], ours, base, sizes, bare or None))
        else:
            pooled.append(_merged(same))
    return pooled


def combine(runs: list[dict[str, Any]]) -> list[Row]:
    """One row per metric with the median of the runs' values and ratios."""
    return [_merged(same) for same in _by_key([_rows(run) for run in runs]).values()]


def pooled_run(processes: list[dict[str, Any]]) -> dict[str, Any]:
    """Make one run of the processes' results (each a `finish` JSON)."""
    return {
        "machine": processes[-1]["machine"],
        "rows": [asdict(row) for row in pool([_rows(one) for one in processes])],
        "notes": processes[0].get("notes", []),
        "complete": all(one.get("complete") for one in processes),
        "seconds": sum(one.get("seconds", 0) for one in processes),
        "processes": len(processes),
    }


def repeatability(runs: list[dict[str, Any]]) -> str:
    """Every ratio of every run, and how far apart the runs are (max ÷ min - 1)."""
    order = list(SECTIONS)
    keys: list[tuple[int, str]] = []
    ratios: dict[str, list[float | None]] = {}
    names: dict[str, str] = {}
    for index, run in enumerate(runs):
        for row in _rows(run):
            if row.key not in ratios:
                keys.append((order.index(row.section), row.key))
                names[row.key] = f"{row.section}: {row.label}"
                ratios[row.key] = [None] * len(runs)
            ratios[row.key][index] = row.ratio
    head = " | ".join(f"run {index + 1}" for index in range(len(runs)))
    lines = [
        f"## Repeatability ({len(runs)} runs)\n",
        (
            "Ratio (PT ÷ baseline) of each run; spread = largest ÷ smallest - 1,"
            f" goal ≤ {SPREAD_LIMIT:.0%}.\n"
        ),
        f"| Metric | {head} | Spread | Within {SPREAD_LIMIT:.0%} |",
        "|---|" + "---:|" * len(runs) + "---:|---|",
    ]
    for _section, key in sorted(keys, key=lambda pair: pair[0]):
        values = ratios[key]
        if all(value is None for value in values):
            continue
        known = [value for value in values if value is not None]
        spread = max(known) / min(known) - 1 if min(known) > 0 else None
        # judged at the precision shown (0.1 %)
        within = "" if spread is None else MET[round(spread, 3) <= SPREAD_LIMIT]
        cells = " | ".join(ratio(value) for value in values)
        spread_text = "—" if spread is None else f"{spread:.1%}"
        lines.append(f"| {names[key]} | {cells} | {spread_text} | {within} |")
    seconds = ", ".join(f"{run.get('seconds', 0):.0f} s" for run in runs)
    processes = runs[0].get("processes", 1)
    lines += [
        "",
        (
            f"Time in the benchmarks of each run: {seconds} ({processes} processes"
            " each, not counting their start-up)."
        ),
    ]
    codes = [run["machine"].get("Partner Time", "?") for run in runs]
    if len(set(codes)) > 1:
        lines += [
            "",
            "**The code under test changed between the runs** (others work in the"
            " same checkout): " + "; ".join(codes) + ".",
        ]
    return "\n".join(lines)


# -- the end of a session ---------------------------------------------------------


def finish(*, complete: bool, seconds: float) -> str:
    """Write this session's results; return what to print."""
    description = machine()
    out = os.environ.get("PARTNER_TIME_BENCH_OUT")
    if out:
        run = {
            "machine": description,
            "rows": [asdict(row) for row in ROWS],
            "notes": NOTES,
            "complete": complete,
            "seconds": seconds,
            "run": os.environ.get("PARTNER_TIME_BENCH_RUN", out),
        }
        Path(out).write_text(json.dumps(run, indent=1), encoding="utf-8")
        where = f"run written to {out}"
    elif complete:
        RESULTS.write_text(markdown(ROWS, description, NOTES), encoding="utf-8")
        where = f"written to {RESULTS}"
    else:
        where = f"not all benchmarks ran or passed: {RESULTS.name} left as it was"
    return "\n".join(
        [
            "",
            _machine_lines(description),
            "",
            table(ROWS),
            "",
            _notes(NOTES),
            "",
            f"({where}; {seconds:.0f} s)",
        ]
    )


def main(paths: list[str]) -> int:
    """Combine the JSON results given into RESULTS.md and print it.

    Results with the same `run` number are the processes of one run (pooled, see
    `pooled_run`); a run counts only if all its processes ran and passed.
    """
    found = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    grouped: dict[object, list[dict[str, Any]]] = {}
    for index, one in enumerate(found):
        grouped.setdefault(one.get("run", f"file {index}"), []).append(one)
    runs = [pooled_run(processes) for processes in grouped.values()]
    runs = [run for run in runs if run["complete"]]
    if not runs:
        print(
            f"no complete run (all benchmarks, passed): {RESULTS.name} left as it was"
        )
        return 0
    last = runs[-1]
    RESULTS.write_text(
        markdown(combine(runs), last["machine"], last.get("notes", []), runs),
        encoding="utf-8",
    )
    if len(runs) > 1:
        print()
        print(f"## Median of the {len(runs)} runs\n")
        print(table(combine(runs)))
        print()
        print(repeatability(runs))
    print(f"\n(written to {RESULTS})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
