"""The command line, end to end: ``python -m carecoord schedule INSTANCE.json -o SOLUTION.json``.

Each test runs the installed package in a fresh interpreter, as a user would, and checks the
exit status, the files written and the messages (which name the file and the JSON path of a
problem, never a value from it).
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any, Dict

import pytest

from carecoord import schedule

EXAMPLES = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "schedule"


def run(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carecoord", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def tiny() -> pathlib.Path:
    path = EXAMPLES / "tiny.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


def test_schedule_writes_the_solution(tiny: pathlib.Path, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "solution.json"
    r = run("schedule", str(tiny), "-o", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    written: Dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert written == schedule.solve(tiny)
    assert schedule.evaluate(tiny, out)["objective"] == [0, -16, 0, 0, 1856]


def test_schedule_writes_to_stdout_without_output(tiny: pathlib.Path, tmp_path: pathlib.Path) -> None:
    r = run("schedule", str(tiny), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == schedule.solve(tiny)


def test_schedule_options(tiny: pathlib.Path, tmp_path: pathlib.Path) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text(
        json.dumps({"assignments": [{"meeting": "m1", "start": "2026-03-30T10:00", "room": "rm1"}]}),
        encoding="utf-8",
    )
    out = tmp_path / "replanned.json"
    r = run(
        "schedule", str(tiny), "-o", str(out), "--previous", str(previous),
        "--time-limit", "0.5", "--seed", "3", cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    sol = json.loads(out.read_text(encoding="utf-8"))
    m1 = next(a for a in sol["assignments"] if a["meeting"] == "m1")
    assert m1["start"] == "2026-03-30T10:00"
    assert sol == schedule.solve(tiny, previous=previous, time_limit=0.5, seed=3)
    unlimited = run("schedule", str(tiny), "--time-limit", "inf", cwd=tmp_path)
    assert unlimited.returncode == 0
    assert json.loads(unlimited.stdout) == schedule.solve(tiny)


def test_a_bad_instance_names_the_file_and_the_json_path(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "schema": "carecoord.schedule.v1",
                "horizon": {"start": "2026-03-23", "days": 5},
                "people": [{"id": "p1"}],
                "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["Jane Doe"]}],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "solution.json"
    r = run("schedule", str(bad), "-o", str(out), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == (
        f"python -m carecoord schedule: error: {bad}: meetings[0].required[0]: unknown person id\n"
    )
    assert "Jane" not in r.stderr
    assert r.stdout == ""
    assert not out.exists()


def test_malformed_json_gives_the_line_and_column(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema": "carecoord.schedule.v1",\n "horizon": }\n', encoding="utf-8")
    r = run("schedule", str(bad), cwd=tmp_path)
    assert r.returncode == 2
    assert f"{bad}: invalid JSON at line 2, column" in r.stderr


def test_a_bad_previous_plan_names_that_file(tiny: pathlib.Path, tmp_path: pathlib.Path) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text('{"assignments": [{"meeting": "m1", "start": "soon", "room": "rm1"}]}')
    r = run("schedule", str(tiny), "--previous", str(previous), cwd=tmp_path)
    assert r.returncode == 2
    assert f"{previous}: assignments[0].start: expected a local date-time" in r.stderr


def test_unreadable_files_and_bad_arguments_exit_with_2(tiny: pathlib.Path, tmp_path: pathlib.Path) -> None:
    missing = run("schedule", "missing.json", cwd=tmp_path)
    assert missing.returncode == 2
    assert "missing.json: cannot read: No such file or directory" in missing.stderr
    binary = tmp_path / "latin1.json"
    binary.write_bytes(b'{"name": "caf\xe9"}')
    assert "not UTF-8 text" in run("schedule", str(binary), cwd=tmp_path).stderr
    for args in (
        ["schedule", str(tiny), "--time-limit", "-1"],
        ["schedule", str(tiny), "--seed", "-3"],
        ["schedule"],
        [],
    ):
        r = run(*args, cwd=tmp_path)
        assert r.returncode == 2, args
        assert "usage: python -m carecoord" in r.stderr


def test_help_lists_the_subcommands(tmp_path: pathlib.Path) -> None:
    r = run("--help", cwd=tmp_path)
    assert r.returncode == 0
    assert "schedule" in r.stdout
    s = run("schedule", "--help", cwd=tmp_path)
    assert s.returncode == 0
    for option in ("-o SOLUTION.json", "--previous PREVIOUS.json", "--time-limit SECONDS", "--seed N"):
        assert option in s.stdout
