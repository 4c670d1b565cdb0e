"""The caseload from Python: events, rejections, the UCR two-hour deadline, journals
(reopen, replay, torn tail, not a journal), bulk loading from pyarrow, pandas and polars,
and queries as pyarrow tables with fixed schemas.

Hand-checked deadline: a fall referred at 16:30 BST on Friday 10 July 2026 has 90 minutes of
service time that day (to 18:00 BST) and 30 the next morning from 08:00 BST: due 08:30 BST,
07:30 UTC.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import pyarrow as pa
import pytest

from carecoord import errors
from carecoord.caseload import Caseload

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 7, 10, 15, 30, tzinfo=UTC)
EVENTS = [
    {"patient_registered": {"patient": "P1", "practice": "SYN004", "birth_date": dt.date(1939, 2, 11)}},
    {"referral_received": {"referral": "R1", "patient": "P1", "received_at": T0, "referrer": "NHS 111"}},
    {"referral_triaged": {"referral": "R1", "priority": "ucr_2_hour", "ucr_condition": "fall"}},
]


def fall_referral(c: Caseload) -> None:
    for i, e in enumerate(EVENTS, start=1):
        assert c.apply(e, who="duty", at=T0) == c.last_seq == i


def test_ucr_two_hour_deadline_and_breach() -> None:
    c = Caseload()
    fall_referral(c)
    soon = c.breaching_within(dt.datetime(2026, 7, 11, 7, 0, tzinfo=UTC), dt.timedelta(hours=1))
    assert soon.num_rows == 1
    row = soon.to_pylist()[0]
    assert row["due_at"] == dt.datetime(2026, 7, 11, 7, 30, tzinfo=UTC)
    assert (row["clock"], row["minutes_to_due"]) == ("running", 30)
    late = c.breaching_within(dt.datetime(2026, 7, 11, 8, 0, tzinfo=UTC), dt.timedelta(0))
    assert [(r["clock"], r["minutes_to_due"]) for r in late.to_pylist()] == [("breached", -30)]
    assert soon.schema.field("due_at").type == pa.timestamp("ms", tz="UTC")
    assert soon.schema.field("minutes_to_due").type == pa.int64()


def test_rejection_names_the_field_and_changes_nothing() -> None:
    c = Caseload()
    fall_referral(c)
    with pytest.raises(errors.CaseloadNotFoundError) as info:
        c.apply({"referral_closed": {"referral": "R404", "outcome": "completed"}}, who="duty", at=T0)
    assert info.value.seq == 4
    assert info.value.code == "not_found"
    assert str(info.value) == "event 4 (referral_closed): field `referral`: no referral with this id"
    assert isinstance(info.value, ValueError)
    assert c.last_seq == 3
    # An id that looks like an NHS number is refused without being echoed.
    with pytest.raises(errors.CaseloadInvalidFieldError) as info:
        c.apply(
            {"patient_registered": {"patient": "9434765919", "practice": "SYN001", "birth_date": "1950-01-01"}},
            who="duty",
            at=T0,
        )
    assert "9434765919" not in str(info.value)
    with pytest.raises(errors.CaseloadInvalidJsonError):
        c.apply("{", who="duty", at=T0)
    with pytest.raises(errors.CalendarError):
        c.apply(EVENTS[0], who="duty", at=dt.datetime(2026, 7, 10, 15, 30))
    assert c.last_seq == 3


def test_journal_reopen_replay_and_torn_tail(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "c.journal"
    c = Caseload.open(path)
    assert c.is_durable
    fall_referral(c)
    at = dt.datetime(2026, 7, 11, 7, 0, tzinfo=UTC)
    before = c.breaching_within(at)
    del c
    r = Caseload.replay(path)
    assert not r.is_durable
    assert r.last_seq == 3
    assert r.breaching_within(at).equals(before)
    assert r.report == {"last_seq": 3, "rejected": [], "warnings": []}
    # Cut the last record short: ignored and reported.
    data = path.read_bytes()
    path.write_bytes(data[:-5])
    r = Caseload.replay(path)
    assert r.last_seq == 2
    (warning,) = r.report["warnings"]
    assert warning["code"] == "torn_tail"
    # Opening for writing repairs it; the event can be recorded again.
    c = Caseload.open(path)
    assert c.apply(EVENTS[2], who="duty", at=T0) == 3
    assert c.breaching_within(at).equals(before)


def test_not_a_journal(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    with pytest.raises(errors.NotAJournalError) as info:
        Caseload.replay(path)
    assert info.value.code == "not_a_journal"
    assert isinstance(info.value, errors.JournalError)


def _patients() -> pa.Table:
    return pa.table(
        {
            "patient": ["P1", "P2", "P1", "9434765919", "P5"],
            "practice": ["SYN001", "SYN001", "SYN002", "SYN003", None],
            "birth_date": pa.array([dt.date(1940, 5, 1)] * 5, pa.date32()),
        }
    )


def _check_rejects(rejects: pa.Table, offset: int = 0) -> None:
    rows = [(r["row"], r["code"]) for r in rejects.to_pylist()]
    assert rows == [(2 + offset, "duplicate"), (3 + offset, "invalid_field"), (4 + offset, "invalid_request")]
    assert rejects.schema.metadata[b"applied"] == b"2"
    assert rejects.schema.metadata[b"rejected"] == b"3"
    for m in rejects.column("message").to_pylist():
        assert "9434765919" not in m
    assert "field `practice`" in rejects.column("message")[2].as_py()


def test_bulk_load_reports_rows_and_applies_the_rest() -> None:
    c = Caseload()
    rejects = c.load(_patients(), event="patient_registered", who="import", recorded_at=T0)
    _check_rejects(rejects)
    assert c.last_seq == 2


def test_bulk_load_keeps_row_numbers_across_chunks() -> None:
    t = pa.concat_tables([pa.table({"patient": ["P0"], "practice": ["SYN009"],
                                    "birth_date": pa.array([dt.date(1950, 1, 1)], pa.date32())}),
                          _patients()])
    assert t.column("patient").num_chunks == 2
    c = Caseload()
    rejects = c.load(t, event="patient_registered", who="import", recorded_at=T0)
    rows = [r["row"] for r in rejects.to_pylist()]
    assert rows == [3, 4, 5]


def test_bulk_load_from_pandas_and_polars() -> None:
    pd = pytest.importorskip("pandas")
    df = _patients().to_pandas()
    assert isinstance(df, pd.DataFrame)
    c = Caseload()
    _check_rejects(c.load(df, event="patient_registered", who="import", recorded_at=T0))
    pl = pytest.importorskip("polars")
    c = Caseload()
    _check_rejects(c.load(pl.from_arrow(_patients()), event="patient_registered", who="import", recorded_at=T0))


def test_bulk_load_with_event_column_and_timestamps() -> None:
    t = pa.table(
        {
            "event": ["patient_registered", "referral_received"],
            "who": ["import", "import"],
            "recorded_at": pa.array([T0, T0], pa.timestamp("ms", tz="UTC")),
            "patient": ["P1", "P1"],
            "practice": ["SYN004", None],
            "birth_date": pa.array([dt.date(1939, 2, 11), None], pa.date32()),
            "referral": [None, "R1"],
            "received_at": pa.array([None, T0], pa.timestamp("ms", tz="UTC")),
            "referrer": [None, "NHS 111"],
        }
    )
    c = Caseload()
    assert c.load(t).num_rows == 0
    c.apply(EVENTS[2], who="duty", at=T0)
    assert c.breaching_within(dt.datetime(2026, 7, 11, 7, 0, tzinfo=UTC)).num_rows == 1
    naive = t.set_column(2, "recorded_at", pa.array([T0.replace(tzinfo=None)] * 2, pa.timestamp("ms")))
    with pytest.raises(errors.CalendarError):
        Caseload().load(naive)


def test_queries_keep_their_schema_when_empty() -> None:
    c = Caseload()
    at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    day = at.date()
    tables = {
        "breaching_within": c.breaching_within(at),
        "breaches_on": c.breaches_on(day, at),
        "caseload_of": c.caseload_of("N1"),
        "workload": c.workload(day),
        "uncovered_shifts": c.uncovered_shifts(day, day),
        "reviews_due": c.reviews_due(day),
        "chase_list": c.chase_list(day),
        "overdue_tasks": c.overdue_tasks(day),
        "respect_worklist": c.respect_worklist(day),
        "register_members": c.register_members("palliative", day),
        "long_stay": c.long_stay(at, "21+"),
        "ward_census": c.ward_census(at),
        "escalations_due": c.escalations_due(at),
        "discharge_review_queue": c.discharge_review_queue(at),
        "open_repatriations": c.open_repatriations(at),
    }
    for name, t in tables.items():
        assert isinstance(t, pa.Table), name
        assert t.num_rows == 0, name
        assert t.num_columns > 0, name
    assert tables["long_stay"].schema.field("admitted_at").type == pa.timestamp("ms", tz="UTC")
    assert tables["reviews_due"].schema.field("review_on").type == pa.date32()
    assert tables["workload"].schema.field("capacity").type == pa.uint32()
    # One-row queries.
    perf = c.ucr_two_hour_performance(day, day + dt.timedelta(days=1), at)
    assert perf.to_pylist()[0]["in_scope"] == 0
    alloc = c.suggest_allocation(at)
    assert alloc.to_pylist()[0]["reason"] == "no_staff_with_skill"
    with pytest.raises(errors.CaseloadInvalidRequestError):
        c.long_stay(at, "22+")  # type: ignore[arg-type]
    assert c.handover_summary("P404", at) is None


def test_chase_list_merges_mdt_action_logs() -> None:
    """Tasks and MDT actions in one list (hand-checked: the action 5 days overdue, owner
    flow-2, before the task 3 days overdue, owner N1; a done action and one not yet due are
    not chased); the same schema as the query; a wrong log type is named."""
    from carecoord.schedule import ActionLog

    c = Caseload()
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    c.apply({"staff_joined": {"staff": "N1", "band": "6", "skills": ["nursing"]}}, who="lead", at=at)
    c.apply({"task_created": {"task": "T1", "owner": "N1", "due": "2026-03-03",
                              "kind": "chase_document", "text": "Chase the discharge letter"}},
            who="lead", at=at)
    log = ActionLog()
    meeting = {"id": "m1", "start": "2026-02-24T14:00", "end": "2026-02-24T15:00"}

    def action(i: str, due: str, status: str = "open") -> dict:
        done = {"completed": "2026-02-26"} if status != "open" else {}
        return {"id": i, "patient_ref": "P-12", "description": "Chase", "owner": "flow-2",
                "due": due, "status": status, "raised_at": "m1", "raised_on": "2026-02-24", **done}

    log.add_minutes({"meeting": meeting, "actions": [
        action("A1", "2026-03-01"), action("A2", "2026-02-27", "done"), action("A3", "2026-03-09")]})
    today = dt.date(2026, 3, 6)
    rows = c.chase_list(today, [log])
    got = [(r["owner"], r["source"], r["id"], r["days_overdue"], r["kind"]) for r in rows.to_pylist()]
    assert got == [("flow-2", "mdt", "A1", 5, "meeting_action"), ("N1", "task", "T1", 3, "chase_document")]
    assert rows.schema == c.chase_list(today).schema
    assert c.chase_list(today, []).to_pylist() == c.chase_list(today).to_pylist()
    assert [r["id"] for r in c.chase_list(today, (log, log)).to_pylist()] == ["A1", "A1", "T1"]
    with pytest.raises(TypeError, match=r"action_logs\[1\]"):
        c.chase_list(today, [log, "A1"])  # type: ignore[list-item]
