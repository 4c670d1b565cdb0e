"""Writes rrule_dateutil.json (next to this file) from python-dateutil and the
reference evaluator (../shared/tools/schedule-eval) on ../shared/examples/schedule/S3-seed1.json.

Run with the workspace venv: .venv/bin/python core/src/schedule/testdata/gen_rrule_dateutil.py
"""
import datetime as dt, importlib.machinery, importlib.util, json
from dateutil.rrule import rrulestr
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "../../../../../shared")
loader = importlib.machinery.SourceFileLoader("se", os.path.join(SHARED, "tools/schedule-eval"))
spec = importlib.util.spec_from_loader("se", loader); se = importlib.util.module_from_spec(spec); loader.exec_module(se)
d = json.load(open(os.path.join(SHARED, "examples/schedule/S3-seed1.json")))
END = dt.datetime(2027, 1, 1)
def expand(rule, dtstart):
    r = rule[6:] if rule.upper().startswith("RRULE:") else rule
    out = []
    for occ in rrulestr(r, dtstart=dt.datetime.fromisoformat(dtstart)):
        if occ >= END: break
        out.append(occ.strftime("%Y-%m-%dT%H:%M"))
    return out
rules = [{"id": s["id"], "rrule": s["rrule"], "dtstart": s["dtstart"]} for s in d["series"]]
extra = [
    ("x01", "FREQ=MONTHLY;BYDAY=2TU", "2026-01-13T10:00"),
    ("x02", "FREQ=MONTHLY;BYDAY=-1FR", "2026-01-30T16:00"),
    ("x03", "FREQ=MONTHLY;BYDAY=5TH", "2026-01-29T09:00"),
    ("x04", "FREQ=MONTHLY;BYMONTHDAY=31", "2026-01-31T09:00"),
    ("x05", "FREQ=MONTHLY;BYMONTHDAY=-1,15", "2026-01-15T09:00"),
    ("x06", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2026-01-30T16:30"),
    ("x07", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,3", "2026-01-01T08:30"),
    ("x08", "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE,FR;COUNT=17", "2026-02-04T12:00"),
    ("x09", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,TU;WKST=SU", "2026-01-04T09:00"),
    ("x10", "FREQ=DAILY;INTERVAL=10", "2026-01-01T08:00"),
    ("x11", "FREQ=DAILY;BYDAY=MO,WE;BYMONTH=3,10", "2026-01-01T07:45"),
    ("x12", "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU", "2026-03-29T09:00"),
    ("x13", "FREQ=YEARLY;BYYEARDAY=1,100,-1", "2026-01-01T09:00"),
    ("x14", "FREQ=YEARLY;BYDAY=20MO", "2026-01-01T09:00"),
    ("x15", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1MO;UNTIL=20261001T000000", "2026-01-05T11:00"),
    ("x16", "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", "2026-02-13T13:00"),
    ("x17", "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=9,15;BYMINUTE=0,30;COUNT=30", "2026-03-24T09:00"),
    ("x18", "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=30", "2026-01-30T10:00"),
    ("x19", "FREQ=WEEKLY;UNTIL=20260329", "2026-03-01T01:30"),
    ("x20", "FREQ=MONTHLY;BYDAY=MO,1TU", "2026-01-05T09:00"),
]
rules += [{"id": i, "rrule": r, "dtstart": s} for i, r, s in extra]
for r in rules:
    r["dateutil"] = expand(r["rrule"], r["dtstart"])
inst = se.Instance(d)
occ = {}
for o in inst.occurrences:
    occ.setdefault(o["series"], []).append(se.fmt_local(o["start"]))
json.dump({
    "source": "python-dateutil rrulestr (dtstart naive local), occurrences before 2027-01-01; "
              "s3_occurrences: tools/schedule-eval Instance.occurrences on examples/schedule/S3-seed1.json "
              "(holiday policy applied, horizon 2026)",
    "rules": rules,
    "s3_occurrences": occ,
}, open(os.path.join(HERE, "rrule_dateutil.json"), "w"), indent=0)
print(len(rules), sum(len(r["dateutil"]) for r in rules), sum(len(v) for v in occ.values()))
