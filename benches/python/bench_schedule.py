"""carecoord.schedule.solve against OR-Tools CP-SAT on the format's scenarios.

For S1, S2 and S3 (``benches/data/schedule/``) and the generated instances written by
``cargo run --release -p carecoord-benches --example gen_schedule``:

1. **carecoord**: ``--example solve_schedule`` (release build) reads each instance, solves it
   ``--repeat`` times in-process with the default options and reports the median solve time
   (parse excluded) and the plan of the first run.
2. **CP-SAT**: an OR-Tools model of the same problem, built from the reference evaluator's own
   reading of the instance (``schedule-eval`` is imported, so series expansion, clock changes
   and every static rule are the evaluator's):

   * one Boolean per (meeting, start, room option) that passes every static hard rule of
     format §5.1 (grain, horizon, business day, working hours, window, working days, busy,
     series, allowed/physical/capacity rooms, room closures, series in the room); a pinned
     meeting has only its pin and must be placed;
   * at most one option per meeting; optional intervals with ``AddNoOverlap`` for every
     required person and every physical room (no double booking);
   * the objective of §5.3 lexicographically, in four stages (priority placed, moves from
     ``previous``, preferred-attendee conflicts, start grain sum), each fixed at the value
     found before the next; the stages share one budget (``--time-limit``, 60 s by default:
     each stage gets the unused time divided by the stages left) and ``--workers`` (2).
     Preferred conflicts count a pair (meeting, preferred person) when the person is
     statically unavailable in the chosen slot or is required or preferred in another placed
     meeting that overlaps it (one overlap literal per pair of meetings).

   Room options are reduced without loss: where a virtual room is allowed and free, physical
   rooms are dropped (they only add constraints), except the room of ``previous``.
   The series conflict report is placement-independent and taken from the evaluator.
3. Both plans are checked with ``schedule-eval INSTANCE SOLUTION --json``; the table gives each
   objective vector ``[hard, -priority, moved, preferred conflicts, start grain sum]``
   (smaller is better, compared in that order) and which is better.

    make bench-schedule
    .venv-bench/bin/python benches/python/bench_schedule.py [--time-limit 60] [--only S1-seed1]

Needs ``ortools`` and ``python-dateutil`` (``benches/python/requirements-bench.txt``, installed
into ``.venv-bench`` by ``make bench-schedule``; the test environment does not get ortools).
The evaluator is ``../shared/tools/schedule-eval`` beside the repository (``--evaluator`` or
``SCHEDULE_EVAL`` to point elsewhere).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.machinery
import importlib.util
import json
import os
import pathlib
import platform
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional, Tuple

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "benches" / "data" / "schedule"
PUBLIC = ["S1-seed1", "S2-seed1", "S3-seed1"]


def load_evaluator(path: pathlib.Path) -> Any:
    loader = importlib.machinery.SourceFileLoader("schedule_eval", str(path))
    spec = importlib.util.spec_from_loader("schedule_eval", loader)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def cargo(*args: str) -> str:
    out = subprocess.run(["cargo", *args], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout


# --------------------------------------------------------------------------------------------
# CP-SAT model
# --------------------------------------------------------------------------------------------


class Candidate:
    __slots__ = ("local", "room", "u0", "u1", "grain", "pref_static")

    def __init__(self, local: dt.datetime, room: str, u0: int, u1: int, grain: int,
                 pref_static: List[str]) -> None:
        self.local, self.room, self.u0, self.u1 = local, room, u0, u1
        self.grain, self.pref_static = grain, pref_static


def candidates(ev: Any, inst: Any, mid: str) -> List[Candidate]:
    """Every (start, room) of meeting ``mid`` passing the static hard rules, with room
    options reduced as the module docstring says."""
    m = inst.meetings[mid]
    prev = (inst.previous or {}).get(mid)
    out: List[Candidate] = []

    def pref_static(local: dt.datetime, u0: int, u1: int) -> List[str]:
        return [p for p in m["preferred"] if inst.person_static_problems(p, local, u0, u1)]

    if m["pinned"] is not None:
        local, rid = m["pinned"]
        u0 = ev.local_min(local)
        u1 = u0 + m["duration"]
        bad = inst.static_problems(m, local, rid)
        if bad:
            print(f"warning: pinned {mid} breaks {[b[0] for b in bad]}", file=sys.stderr)
        return [Candidate(local, rid, u0, u1, inst.start_grain(local), pref_static(local, u0, u1))]
    rooms = inst.candidate_rooms(m)
    rooms = [r for r in rooms if not inst.room_kind_problems(m, r)]
    for local in inst.candidate_starts(m):
        u0 = ev.local_min(local)
        u1 = u0 + m["duration"]
        if any(inst.person_static_problems(p, local, u0, u1) for p in m["required"]):
            continue
        ok = [r for r in rooms if not inst.room_static_problems(r, u0, u1)]
        if not ok:
            continue
        virtual = [r for r in ok if inst.rooms[r]["virtual"]]
        keep = virtual[:1] if virtual else ok
        if prev is not None and prev[0] == local and prev[1] in ok and prev[1] not in keep:
            keep = keep + [prev[1]]
        ps = pref_static(local, u0, u1)
        g = inst.start_grain(local)
        for r in keep:
            out.append(Candidate(local, r, u0, u1, g, ps))
    return out


def solve_cpsat(ev: Any, inst: Any, time_limit: float, workers: int, log: bool = False
                ) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    from ortools.sat.python import cp_model

    t_build = time.perf_counter()
    model = cp_model.CpModel()
    order = inst.meeting_order
    cands = {mid: candidates(ev, inst, mid) for mid in order}
    x: Dict[str, List[Any]] = {}
    placed: Dict[str, Any] = {}
    start: Dict[str, Any] = {}
    interval: Dict[str, Any] = {}
    hint_vars: List[Any] = []
    span: Dict[str, Tuple[int, int]] = {}
    for mid in order:
        m = inst.meetings[mid]
        cs = cands[mid]
        xs = [model.new_bool_var(f"x_{mid}_{i}") for i in range(len(cs))]
        x[mid] = xs
        hint_vars += xs
        pl = model.new_bool_var(f"placed_{mid}")
        placed[mid] = pl
        model.add(sum(xs) == pl)
        if m["pinned"] is not None:
            model.add(pl == 1)
        if not cs:
            continue
        lo = min(c.u0 for c in cs)
        hi = max(c.u0 for c in cs)
        span[mid] = (lo, max(c.u1 for c in cs))
        s = model.new_int_var(lo, hi, f"start_{mid}")
        start[mid] = s
        model.add(s == sum(c.u0 * v for c, v in zip(cs, xs))).only_enforce_if(pl)
        interval[mid] = model.new_optional_fixed_size_interval_var(s, m["duration"], pl, f"iv_{mid}")
    # No double booking: required people, physical rooms.
    for pid in inst.people:
        ivs = [interval[mid] for mid in order if mid in interval and pid in inst.meetings[mid]["required"]]
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    for rid, room in inst.rooms.items():
        if room["virtual"]:
            continue
        ivs = []
        for mid in order:
            uses = [v for c, v in zip(cands[mid], x[mid]) if c.room == rid]
            if not uses:
                continue
            y = model.new_bool_var(f"y_{mid}_{rid}")
            model.add(sum(uses) == y)
            ivs.append(model.new_optional_fixed_size_interval_var(
                start[mid], inst.meetings[mid]["duration"], y, f"ivr_{mid}_{rid}"))
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    # Objective terms.
    priority = sum(inst.meetings[mid]["priority"] * placed[mid] for mid in order)
    moved_terms = []
    for mid, (pst, prm) in (inst.previous or {}).items():
        same = [v for c, v in zip(cands[mid], x[mid]) if c.local == pst and c.room == prm]
        moved_terms.append(1 - sum(same) if same else 1)
    moved = sum(moved_terms) if moved_terms else 0
    involved: Dict[str, List[str]] = {p: [] for p in inst.people}
    for mid in order:
        for p in inst.meetings[mid]["required"] + inst.meetings[mid]["preferred"]:
            involved[p].append(mid)
    overlap: Dict[Tuple[str, str], Any] = {}

    def overlap_lit(a: str, b: str) -> Any:
        key = (a, b) if a < b else (b, a)
        if key not in overlap:
            o = model.new_bool_var(f"o_{key[0]}_{key[1]}")
            side = model.new_bool_var(f"b_{key[0]}_{key[1]}")
            ma, mb = inst.meetings[key[0]], inst.meetings[key[1]]
            both = [placed[key[0]], placed[key[1]], o.Not()]
            model.add(start[key[0]] + ma["duration"] <= start[key[1]]).only_enforce_if(both + [side])
            model.add(start[key[1]] + mb["duration"] <= start[key[0]]).only_enforce_if(both + [side.Not()])
            overlap[key] = o
            hint_vars.extend([o, side])
        return overlap[key]

    pref_terms = []
    for mid in order:
        m = inst.meetings[mid]
        if not cands[mid] or not m["preferred"]:
            continue
        a0, a1 = span[mid]
        for p in m["preferred"]:
            c = model.new_bool_var(f"c_{mid}_{p}")
            model.add(c <= placed[mid])
            stat = [v for cd, v in zip(cands[mid], x[mid]) if p in cd.pref_static]
            if stat:
                model.add(c >= sum(stat))
            for n in involved[p]:
                if n == mid or n not in span:
                    continue
                b0, b1 = span[n]
                if not (a0 < b1 and b0 < a1):
                    continue
                model.add(c >= overlap_lit(mid, n))
            pref_terms.append(c)
    pref = sum(pref_terms) if pref_terms else 0
    grain = sum(c.grain * v for mid in order for c, v in zip(cands[mid], x[mid]))
    build_s = time.perf_counter() - t_build

    stages = [("priority", priority, True), ("moved", moved, False),
              ("preferred", pref, False), ("grain", grain, False)]
    if inst.previous is None:
        stages = [s for s in stages if s[0] != "moved"]
    remaining = time_limit
    statuses = []
    wall = 0.0
    solver = cp_model.CpSolver()
    values: Optional[Dict[int, int]] = None
    for i, (name, expr, maximise) in enumerate(stages):
        if isinstance(expr, int):
            statuses.append("n/a")
            continue
        if maximise:
            model.maximize(expr)
        else:
            model.minimize(expr)
        if values is not None:
            model.clear_hints()
            for v in hint_vars:
                model.add_hint(v, values[v.index])
        budget = remaining / (len(stages) - i)
        solver.parameters.max_time_in_seconds = max(budget, 0.1)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 1
        solver.parameters.log_search_progress = log
        status = solver.solve(model)
        wall += solver.wall_time
        remaining = max(0.0, remaining - solver.wall_time)
        statuses.append({cp_model.OPTIMAL: "OPT", cp_model.FEASIBLE: "FEAS"}.get(status, solver.status_name(status)))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        best = int(round(solver.objective_value))
        values = {v.index: solver.value(v) for v in hint_vars}
        model.add(expr >= best if maximise else expr <= best)
    if values is None:
        return {"schema": ev.SCHEMA, "instance": inst.name, "assignments": [], "unplaced": []}, {
            "status": "/".join(statuses), "wall_s": wall, "build_s": build_s}
    assignments, unplaced = [], []
    for mid in order:
        chosen = [c for c, v in zip(cands[mid], x[mid]) if values[v.index]]
        if chosen:
            c = chosen[0]
            assignments.append({"meeting": mid, "start": ev.fmt_local(c.local), "room": c.room})
        else:
            reason = "no_slot_in_window" if not cands[mid] else "cp_sat_unplaced"
            unplaced.append({"meeting": mid, "reason": reason, "conflicts": []})
    series_conflicts = [
        {"series": s, "start": st, "conflicts": sorted(ids)}
        for (s, st), ids in sorted(inst.expected_series_conflicts().items())
    ]
    sol = {"schema": ev.SCHEMA, "instance": inst.name, "assignments": assignments,
           "unplaced": unplaced, "series_conflicts": series_conflicts}
    info = {"status": "/".join(statuses), "wall_s": wall, "build_s": build_s,
            "vars": sum(len(v) for v in x.values()), "overlap_pairs": len(overlap)}
    return sol, info


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def evaluate(evaluator: pathlib.Path, instance: pathlib.Path, solution: pathlib.Path) -> Dict[str, Any]:
    out = subprocess.run([sys.executable, str(evaluator), str(instance), str(solution), "--json"],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"schedule-eval failed on {solution}: {out.stderr}")
    r: Dict[str, Any] = json.loads(out.stdout)
    return r


def fmt_obj(o: List[int]) -> str:
    return "[" + ", ".join(str(v) for v in o) + "]"


def compare(a: List[int], b: List[int]) -> str:
    names = ["hard violations", "priority", "moves", "preferred conflicts", "start grains"]
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return ("carecoord" if x < y else "CP-SAT") + f" ({names[i]})"
    return "tie"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0, help="CP-SAT seconds per instance")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5, help="carecoord solves per instance (median)")
    ap.add_argument("--only", nargs="*", help="instance names to run")
    ap.add_argument("--out", default=str(ROOT / "target" / "bench-schedule"))
    ap.add_argument("--evaluator", default=os.environ.get(
        "SCHEDULE_EVAL", str(ROOT.parent / "shared" / "tools" / "schedule-eval")))
    ap.add_argument("--no-cpsat", action="store_true")
    ap.add_argument("--log", action="store_true", help="CP-SAT search log")
    args = ap.parse_args()
    evaluator = pathlib.Path(args.evaluator)
    if not evaluator.exists():
        sys.exit(f"schedule-eval not found at {evaluator} (use --evaluator or SCHEDULE_EVAL)")
    ev = load_evaluator(evaluator)
    out = pathlib.Path(args.out)
    (out / "instances").mkdir(parents=True, exist_ok=True)
    (out / "solutions").mkdir(parents=True, exist_ok=True)

    print("building the release examples ...", file=sys.stderr)
    cargo("build", "--release", "-q", "-p", "carecoord-benches", "--example", "gen_schedule",
          "--example", "solve_schedule")
    exe = ROOT / "target" / "release" / "examples"
    generated = subprocess.run([str(exe / "gen_schedule"), str(out / "instances")], check=True,
                               capture_output=True, text=True).stdout.split()
    paths = [DATA / f"{n}.json" for n in PUBLIC] + [pathlib.Path(p) for p in generated]
    if args.only:
        paths = [p for p in paths if p.stem in args.only]

    rows = []
    for path in paths:
        data = json.loads(path.read_text())
        inst = ev.Instance(data)
        line = subprocess.run([str(exe / "solve_schedule"), "--repeat", str(args.repeat),
                               str(out / "solutions"), str(path)],
                              check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        ours = json.loads(line)
        ours_eval = evaluate(evaluator, path, pathlib.Path(ours["solution"]))
        row: Dict[str, Any] = {
            "instance": path.stem, "meetings": len(inst.meetings), "series": len(inst.series),
            "ours": ours_eval["objective"], "ours_ms": ours["solve_ms"],
            "ours_runs": ours["solve_ms_runs"], "ours_same": ours["same_plan"],
            "ours_placeable": sum(w["code"] == "unplaced_but_placeable" for w in ours_eval["warnings"]),
            "ours_placed": ours_eval["meetings_placed"],
        }
        print(f"{path.stem}: carecoord {fmt_obj(row['ours'])} in {row['ours_ms']:.0f} ms",
              file=sys.stderr)
        if not args.no_cpsat:
            sol, info = solve_cpsat(ev, inst, args.time_limit, args.workers, args.log)
            sol_path = out / "solutions" / f"{path.stem}.cpsat.json"
            sol_path.write_text(json.dumps(sol, indent=1))
            cp_eval = evaluate(evaluator, path, sol_path)
            row.update({
                "cp": cp_eval["objective"], "cp_s": info["wall_s"], "cp_status": info["status"],
                "cp_build_s": info["build_s"], "cp_vars": info.get("vars"),
                "cp_placed": cp_eval["meetings_placed"],
                "better": compare(row["ours"], cp_eval["objective"]),
            })
            print(f"{path.stem}: CP-SAT {fmt_obj(row['cp'])} in {info['wall_s']:.1f} s "
                  f"({info['status']}, {info.get('vars')} vars, model built in {info['build_s']:.1f} s)",
                  file=sys.stderr)
        rows.append(row)
        (out / "results.json").write_text(json.dumps(rows, indent=1))

    print(f"\nRun {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, CP-SAT {args.workers} workers, "
          f"{args.time_limit:g} s per instance; carecoord median of {args.repeat} solves.\n")
    print("Objective: `[hard violations, -priority placed, moved, preferred conflicts, start grain sum]`,"
          " smaller is better, compared left to right (schedule-eval --json).\n")
    print("| instance | meetings | carecoord objective | carecoord solve (ms) | placed | CP-SAT objective |"
          " CP-SAT time (s) | CP-SAT status | placed | better |")
    print("| --- | ---: | --- | ---: | ---: | --- | ---: | --- | ---: | --- |")
    for r in rows:
        print(f"| {r['instance']} | {r['meetings']} | {fmt_obj(r['ours'])} | {r['ours_ms']:.0f} | "
              f"{r['ours_placed']} | {fmt_obj(r['cp']) if 'cp' in r else '-'} | "
              f"{r['cp_s']:.1f} | {r.get('cp_status', '-')} | {r.get('cp_placed', '-')} | "
              f"{r.get('better', '-')} |" if "cp" in r else
              f"| {r['instance']} | {r['meetings']} | {fmt_obj(r['ours'])} | {r['ours_ms']:.0f} | "
              f"{r['ours_placed']} | - | - | - | - | - |")


if __name__ == "__main__":
    main()
