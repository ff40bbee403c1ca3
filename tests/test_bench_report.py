"""The benchmark table's arithmetic: pooling processes, paired ratios, the p99 ratio.

Pure functions of benchmarks/report.py and benchmarks/stats.py (no HA), so a wrong
ratio or a lost process shows up here rather than in a misleading RESULTS.md.
"""

# ruff: noqa: RUF001 - the multiplication sign is meant

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import pytest

from benchmarks import report
from benchmarks.stats import (
    median,
    overhead_ratio,
    overheads,
    paired_ratio,
    percentile,
    tail_ratio,
)

if TYPE_CHECKING:
    from pathlib import Path


def _process(
    run: int, ours: list[float], base: list[float], *, complete: bool = True
) -> dict[str, object]:
    """One process's JSON, as `report.finish` writes it, with one paired row."""
    row = report.summarized(
        report.Row("latency", "x, median of {n}", 0, 0, stat="median", limit=1),
        ours,
        base,
    )
    extra = report.Row("idle", "timers", 1, 1)
    return {
        "machine": {"Partner Time": "git test"},
        "rows": [asdict(row), asdict(extra)],
        "notes": [],
        "complete": complete,
        "seconds": 1.0,
        "run": run,
    }


def test_stats() -> None:
    """Median, nearest-rank percentile, paired ratio."""
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
    assert percentile(range(1, 101), 0.99) == 99
    assert percentile([5.0], 0.99) == 5.0
    assert paired_ratio([1, 2, 30], [2, 2, 10]) == 1
    with pytest.raises(ValueError, match="as many"):
        paired_ratio([1], [1, 2])
    with pytest.raises(ValueError, match="nothing"):
        median([])


def test_tail_ratio_is_the_median_of_the_processes() -> None:
    """A process with a burst in its tail moves that process's ratio only."""
    ours = [1.0] * 300
    base = [2.0] * 300
    ours[10:30] = [50.0] * 20  # a burst of load in the first process
    assert tail_ratio(ours, base, [100, 100, 100]) == 0.5
    # one process: the plain ratio of the percentiles
    assert tail_ratio([1.0, 4.0], [2.0, 2.0]) == 2.0
    with pytest.raises(ValueError, match="add up"):
        tail_ratio([1.0, 4.0], [2.0, 2.0], [1])


def test_summarized_row() -> None:
    """Values, paired ratio, goal and the count in the label come from the rounds."""
    row = report.summarized(
        report.Row("latency", "t, p99 of {n}", 0, 0, stat="p99", limit=1),
        [1.0, 2.0, 3.0],
        [2.0, 2.0, 2.0],
    )
    assert (row.ours, row.base, row.paired, row.met) == (3.0, 2.0, 1.5, False)
    assert row.label == "t, p99 of 3"
    with pytest.raises(ValueError, match="statistic"):
        report.summarized(report.Row("latency", "t", 0, 0, stat="mean"), [1], [1])


def test_processes_of_a_run_are_pooled() -> None:
    """The ratio of a run is taken over all its processes' rounds, not averaged."""
    run = report.pooled_run(
        [_process(1, [1.0, 1.0, 1.0], [2.0, 2.0, 2.0]), _process(1, [3.0], [2.0])]
    )
    rows = {row["metric"]: row for row in run["rows"]}
    pooled = rows["x, median of {n}"]
    assert pooled["count"] == 4
    assert pooled["sizes"] == [3, 1]
    assert pooled["paired"] == 0.5  # median of 0.5, 0.5, 0.5, 1.5
    assert pooled["met"] is True
    assert rows["timers"]["ours"] == 1
    assert run["processes"] == 2
    assert run["complete"] is True


def test_main_groups_runs_and_skips_incomplete_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two complete runs are compared; a run with a failed process is left out."""
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr(report, "RESULTS", results)
    files = []
    processes = [
        _process(1, [1.0, 1.0], [2.0, 2.0]),
        _process(1, [1.0], [2.0]),
        _process(2, [1.1, 1.1], [2.0, 2.0]),
        _process(2, [1.1], [2.0]),
        _process(3, [9.0], [1.0], complete=False),
    ]
    for index, process in enumerate(processes):
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(process), encoding="utf-8")
        files.append(str(path))

    assert report.main(files) == 0

    text = results.read_text(encoding="utf-8")
    assert "## Repeatability (2 runs)" in text
    assert "| latency: x, median of 3 | 0.500× | 0.550× | 10.0% | yes |" in text
    assert "(2 processes each," in text
    assert "9.00×" not in text
    assert "written to" in capsys.readouterr().out


def test_main_without_a_complete_run_leaves_results_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing complete: RESULTS.md is not written."""
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr(report, "RESULTS", results)
    path = tmp_path / "0.json"
    path.write_text(
        json.dumps(_process(1, [1.0], [1.0], complete=False)), encoding="utf-8"
    )
    assert report.main([str(path)]) == 0
    assert not results.exists()


def test_p99_of_pooled_processes() -> None:
    """The p99 row of a run: each side's p99 of all rounds, the ratio per process."""
    slow = report.summarized(
        report.Row("latency", "t, p99 of {n}", 0, 0, stat="p99", limit=1),
        [1.0] * 97 + [9.0] * 3,
        [2.0] * 100,
    )
    fast = report.summarized(slow, [1.0] * 100, [2.0] * 100)
    pooled = report.pool([[slow], [fast], [fast]])[0]
    assert pooled.sizes == [100, 100, 100]
    assert slow.paired == 4.5
    assert pooled.paired == 0.5  # median of the slow process's 4.5, 0.5 and 0.5
    assert pooled.ours == 1.0
    assert pooled.met is True


def test_overhead_is_the_median_of_the_rounds_differences() -> None:
    """Each side's overhead over bare is paired round by round, then the median.

    A slow round (the machine busy elsewhere) moves all three contenders alike, so
    it moves none of the differences; unpaired medians would mix rounds.
    """
    bare = [3.0, 8.0, 3.0]  # the second round is slow for everyone
    ours = [4.0, 9.0, 4.5]  # 1, 1, 1.5 over bare
    base = [5.0, 10.0, 5.0]  # 2, 2, 2 over bare
    assert overheads(ours, base, bare) == (1.0, 2.0)
    assert overhead_ratio(ours, base, bare) == 0.5
    # unpaired, the medians of the sides would say 1.5 over bare against 2
    assert (median(ours) - median(bare)) / (median(base) - median(bare)) == 0.75
    with pytest.raises(ValueError, match="as many"):
        overheads([1.0], [1.0], [1.0, 2.0])


def test_overhead_ratio_when_the_baseline_adds_nothing() -> None:
    """A baseline no dearer than bare makes any overhead of ours infinitely worse."""
    assert overhead_ratio([2.0], [1.0], [1.0]) == float("inf")
    assert overhead_ratio([2.0], [0.5], [1.0]) == float("inf")
    row = report.summarized(
        report.Row("work", "w", 0, 0, stat="overhead", limit=0.5),
        [2.0],
        [1.0],
        bare=[1.0],
    )
    assert row.met is False


def test_overhead_row_shows_both_overheads_and_bare() -> None:
    """The row: each side over bare, their ratio against the goal, bare in the label."""
    report.ROWS.clear()
    report.record_overhead(
        "work",
        "start: over bare ({bare}), median of {n}",
        [4.0, 4.4, 4.2],
        [5.0, 5.0, 5.0],
        [3.0, 3.2, 3.1],
        goal="≤ 0.5",
        limit=0.5,
    )
    row = report.ROWS.pop()
    assert (row.ours, row.base, row.bare) == (1.1, 1.9, 3.1)
    assert row.paired == pytest.approx(1.1 / 1.9)
    assert row.met is False
    assert row.label == "start: over bare (3.10 ms), median of 3"
    table = report.table([row])
    assert "| 1.10 ms | 1.90 ms | 0.579×† | ≤ 0.5 | **no** |" in table
    with pytest.raises(ValueError, match="bare rounds"):
        report.summarized(row, [1.0], [1.0])
    with pytest.raises(ValueError, match="unknown section"):
        report.record_overhead("nowhere", "x", [1.0], [1.0], [1.0])


def test_overhead_rows_of_processes_and_runs_are_pooled() -> None:
    """Processes pool their rounds (bare too); runs take the median of the runs."""
    template = report.Row("work", "o ({bare}), {n}", 0, 0, stat="overhead", limit=0.5)
    first = report.summarized(template, [4.0, 4.0], [6.0, 6.0], bare=[3.0, 3.0])
    second = report.summarized(template, [3.25], [3.5], bare=[3.0])
    assert first.paired == 1 / 3
    assert second.paired == 0.5
    pooled = report.pool([[first], [second]])[0]
    assert pooled.count == 3
    assert pooled.samples is not None
    assert pooled.samples["bare"] == [3.0, 3.0, 3.0]
    assert pooled.paired == 1 / 3  # medians of 1, 1, 0.25 and 3, 3, 0.5
    assert pooled.met is True
    runs = [
        {"machine": {}, "rows": [asdict(row)]}
        for row in (pooled, report.summarized(template, [5.0], [6.0], bare=[4.0]))
    ]
    combined = report.combine(runs)[0]
    assert combined.bare == 3.5  # the median of the runs' bare medians
    assert combined.paired == pytest.approx((1 / 3 + 0.5) / 2)
    assert combined.label == "o (3.50 ms), 3"
