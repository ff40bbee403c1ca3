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
from benchmarks.stats import median, paired_ratio, percentile, tail_ratio

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
