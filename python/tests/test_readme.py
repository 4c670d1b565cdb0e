"""The README's Python quickstart runs and gives the values its comments promise."""
from __future__ import annotations

import datetime as dt
import pathlib
import re

import pyarrow as pa

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_python_quickstart_runs() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Quickstart: Python\n\n```python\n(.*?)```", text, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102
    from carecoord import calendar, ids

    assert ids.nhs_number_is_valid("943 476 5919")
    assert ids.nhs_number_reasons(pa.array(["1234567890"])).to_pylist() == ["check_digit_ten"]
    hours = calendar.ServiceHours.community_seven_day()
    start = dt.datetime(2026, 3, 28, 17, 0, tzinfo=dt.timezone.utc)
    due = hours.deadline_in_service_hours(start, dt.timedelta(hours=2))
    assert due == dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.timezone.utc)


def test_caseload_snippet_runs() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Caseload from Python and C\n\n```python\n(.*?)```", text, re.S)
    assert block is not None
    ns: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), ns)  # noqa: S102
    rejects = ns["rejects"]
    assert isinstance(rejects, pa.Table)
    assert [(r["row"], r["code"]) for r in rejects.to_pylist()] == [(1, "invalid_request")]
    assert "field `practice`" in rejects.column("message")[0].as_py()
    soon = ns["soon"]
    assert isinstance(soon, pa.Table)
    (row,) = soon.to_pylist()
    assert row["due_at"] == dt.datetime(2026, 7, 11, 7, 30, tzinfo=dt.timezone.utc)
    assert row["minutes_to_due"] == 30
