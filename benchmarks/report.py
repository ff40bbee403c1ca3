"""The benchmark table: rows recorded by the benchmarks, the machine, RESULTS.md.

The benchmarks call `record`; at the end of the session conftest.py calls `finish`,
which prints the table and writes benchmarks/RESULTS.md (or, under scripts/bench, the
run as JSON for `python -m benchmarks.report RUN.json ...` to combine several runs).
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
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SECTIONS = {
    "latency": "1. Transition latency",
    "fanout": "2. Fan-out",
    "setup": "3. Setup cost",
    "idle": "4. Idle cost",
    "math": "5. Schedule math",
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

    @property
    def key(self) -> str:
        """What identifies the row across runs."""
        return f"{self.section}: {self.metric}"

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


def paired_ratio(ours: list[float], base: list[float]) -> float:
    """Return the median of the rounds' ratios: ours[i] ÷ base[i], round by round."""
    if len(ours) != len(base) or not ours:
        msg = "paired rounds need as many values on each side"
        raise ValueError(msg)
    ordered = sorted(o / b for o, b in zip(ours, base, strict=True))
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


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
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "CPU": _cpu_model(),
        "Cores": f"{cores} logical ({usable} usable by this process)",
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
        f"| {SECTIONS[row.section]} | {row.metric} | {number(row.ours, row.unit)}"
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
own median). Run with `scripts/bench` (three runs; `--runs 1` for one); each number's
method is in the docstring of its benchmarks/bench_*.py. In short:

- Time is driven with freezer; timings use the real `time.perf_counter`. A transition
  is timed from running its due timer to the last action call entering
  `ServiceRegistry.async_call` ("dispatched") and to the last target state written
  and push returned ("applied"). The heap is frozen (gc.freeze) while timing.
- Latency: both start on every simulated day, one after the other (paired by day);
  the p99's ratio is the median of 5 blocks' p99 ÷ p99 (blocks of 400 consecutive
  days); the goal is judged on the ratio shown. Partner Time writes its own entities
  (switches, sensors, calendar) once a transition's house actions are done, at most
  20 loop turns after it (so "applied" does not include them; the baseline's
  schedule entity and automation write theirs before the actions). The mocked phones
  answer at once and every target is HA code in the same loop, so doing them side by
  side cannot win time there; fan-out shows the gain when targets take time (each
  push 200 ms of real time).
- Setup: Partner Time adds config entries; the baseline reloads `schedule` and
  `automation` from YAML (how HA applies helpers and automations added in the UI);
  paired round by round.
- Memory: tracemalloc, without the copy of each written file that the harness's
  mocked storage keeps.
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


def combine(runs: list[dict[str, Any]]) -> list[Row]:
    """One row per metric with the median of the runs' values."""
    by_key: dict[str, list[Row]] = {}
    for run in runs:
        for row in _rows(run):
            by_key.setdefault(row.key, []).append(row)
    combined = []
    for same in by_key.values():
        first = same[0]
        ours = _median([row.ours for row in same])
        bases = [row.base for row in same if row.base is not None]
        base = _median(bases) if bases else None
        mets = [row.met for row in same]
        met = None if None in mets else all(m is True for m in mets)
        pairs = [row.paired for row in same]
        paired = None if None in pairs else _median([p for p in pairs if p is not None])
        combined.append(
            Row(
                first.section,
                first.metric,
                ours,
                base,
                first.unit,
                first.goal,
                met,
                paired,
            )
        )
    return combined


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def repeatability(runs: list[dict[str, Any]]) -> str:
    """Every ratio of every run, and how far apart the runs are (max ÷ min - 1)."""
    order = list(SECTIONS)
    keys: list[tuple[int, str]] = []
    ratios: dict[str, list[float | None]] = {}
    for index, run in enumerate(runs):
        for row in _rows(run):
            if row.key not in ratios:
                keys.append((order.index(row.section), row.key))
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
        lines.append(f"| {key} | {cells} | {spread_text} | {within} |")
    seconds = ", ".join(f"{run.get('seconds', 0):.0f} s" for run in runs)
    lines += ["", f"Wall time of the runs: {seconds}."]
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
    """Combine the JSON runs given into RESULTS.md and print it."""
    runs = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    runs = [run for run in runs if run.get("complete")]
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
