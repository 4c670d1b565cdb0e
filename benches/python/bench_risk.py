"""carecoord.risk against pycomorb and comorbidipy: Charlson, Elixhauser and HFRS.

One seeded synthetic long table, 1,000,000 patients x 10 ICD-10 codes (10 million rows) at
``--scale 1``. The code mix: 35% of codes hit a Charlson, Elixhauser or HFRS category (drawn
from ``core/data/risk/``), 65% are common codes that hit none; codes are upper case without
dots, as in HES extracts (the peers' handling of dotted and lower-case codes is covered by
``python/tests/test_risk_peers.py``).

Each case runs in its own fresh Python process, which builds the same input, converts it to
the implementation's natural input (timed: carecoord takes the pyarrow Table and returns a
pyarrow Table; pycomorb gets a polars DataFrame from ``pl.from_arrow``; comorbidipy a pandas
DataFrame from ``Table.to_pandas``) and scores it ``--repeat`` times (median reported;
comorbidipy once, it is slow). Memory comes from ``/proc/self/status``: the RSS before the
first call (interpreter, libraries and the input) and the peak during the calls, with the
kernel's peak mark reset just before them (``/proc/self/clear_refs``), so the input's own
construction does not count; the difference is what the call itself needs. The parent checks
that the answers agree, modulo the documented peer errors (see test_risk_peers.py):

* comorbidipy Elixhauser clips negative totals to 0 and counts a code that flags two
  categories once: patients without such a code must equal ``max(0, carecoord)``.
* comorbidipy HFRS is an unrounded float sum: compared after rounding to one place.
* pycomorb: exact agreement on all three.

    .venv/bin/python benches/python/bench_risk.py            # full size (10 M rows)
    .venv/bin/python benches/python/bench_risk.py --scale 0.01
    .venv/bin/python benches/python/bench_risk.py --shuffle  # rows not sorted by patient
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import pathlib
import platform
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Tuple

DATA = pathlib.Path(__file__).resolve().parents[2] / "core" / "data" / "risk"
CODES_PER_PATIENT = 10
FULL_PATIENTS = 1_000_000

SCORES = ("charlson", "elixhauser", "hfrs")
IMPLS = ("carecoord", "pycomorb", "comorbidipy")
INPUT = {
    "carecoord": "pyarrow Table -> pyarrow Table",
    "pycomorb": "polars DataFrame (pl.from_arrow, timed)",
    "comorbidipy": "pandas DataFrame (Table.to_pandas, timed)",
}


def code_pools() -> Tuple[List[str], List[str]]:
    """(codes that hit a category, common codes that hit none), all clean."""
    hit = set()
    for name, col in (
        ("charlson_icd10_quan2005.csv", "code_prefix"),
        ("elixhauser_icd10_quan2005.csv", "code_prefix"),
        ("hfrs_icd10.csv", "code3"),
    ):
        with (DATA / name).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                p = r[col]
                hit.add(p if len(p) == 4 else p + "9")
    miss = [
        "Z000", "Z001", "R51", "J069", "M545", "K219", "H251", "L570", "Z880", "Z921",
        "R101", "J029", "N390X", "K590", "M179", "R05", "Z864", "H269", "R074", "Z511",
    ]
    miss = [m for m in miss if m not in hit]
    return sorted(hit), miss


def build(n_patients: int, shuffle: bool = False) -> Any:
    """The seeded input as a pyarrow Table: id (int64), code (string), age (int64).

    Sorted by patient, or with ``shuffle`` the same rows in a seeded random order (each
    patient's rows spread over the table).
    """
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(20261123)
    hit, miss = code_pools()
    pool = pa.array(hit + miss)
    n = n_patients * CODES_PER_PATIENT
    is_hit = rng.random(n) < 0.35
    idx = np.where(
        is_hit,
        rng.integers(0, len(hit), n),
        len(hit) + rng.integers(0, len(miss), n),
    )
    ids = np.repeat(np.arange(n_patients, dtype=np.int64), CODES_PER_PATIENT)
    ages = np.repeat(rng.integers(18, 100, n_patients, dtype=np.int64), CODES_PER_PATIENT)
    codes = pool.take(pa.array(idx))
    table = pa.table({"id": ids, "code": codes, "age": ages})
    if shuffle:
        table = table.take(pa.array(np.random.default_rng(7).permutation(n)))
    return table


def _status_mb(field: str) -> float:
    """A VmRSS/VmHWM line of /proc/self/status, in MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS (Linux clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _scorer(score: str, impl: str, table: Any) -> Tuple[Any, int]:
    """(a function running one timed call from the Arrow table to ids and scores, input bytes)."""
    import numpy as np

    if impl == "carecoord":
        from carecoord import risk

        def call() -> Tuple[Any, Any]:
            if score == "charlson":
                res = risk.charlson(table, patient="id", age="age")
            elif score == "elixhauser":
                res = risk.elixhauser(table, patient="id")
            else:
                res = risk.hfrs(table, patient="id")
            return res.column("patient_id"), res.column("score")

        return call, table.nbytes
    if impl == "pycomorb":
        import polars as pl
        import pycomorb

        def call() -> Tuple[Any, Any]:
            df = pl.from_arrow(table)
            if score == "charlson":
                r = pycomorb.CharlsonComorbidityIndex(df, weights="charlson")
                col = "Charlson Age-Comorbidity Score"
            elif score == "elixhauser":
                r = pycomorb.ElixhauserComorbidityIndex(df, weights="van_walraven")
                col = "Elixhauser Comorbidity Index"
            else:
                r = pycomorb.HospitalFrailtyRiskScore(df)
                col = "HFRS Score"
            return r["id"], r[col]

        return call, int(pl.from_arrow(table).estimated_size())
    import pandas.core.common as common

    if not hasattr(common, "SettingWithCopyWarning"):  # comorbidipy 0.5.0 on pandas 3
        common.SettingWithCopyWarning = type("SettingWithCopyWarning", (Warning,), {})
    import comorbidipy

    def call() -> Tuple[Any, Any]:
        df = table.to_pandas()
        if score == "charlson":
            r = comorbidipy.comorbidity(df, id="id", code="code", age="age", score="charlson",
                                        icd="icd10", variant="quan", weighting="charlson")
            col = "age_adj_comorbidity_score"
        elif score == "elixhauser":
            r = comorbidipy.comorbidity(df, id="id", code="code", age=None, score="elixhauser",
                                        icd="icd10", variant="quan", weighting="vw")
            col = "comorbidity_score"
        else:
            r = comorbidipy.hfrs(df, id="id", code="code")
            col = "hfrs"
        return r["id"], r[col]

    df = table.to_pandas()
    size = int(df.memory_usage(deep=True).sum())
    del df
    return call, size


def run_case(score: str, impl: str, n_patients: int, out: str, repeat: int,
             shuffle: bool = False) -> Dict[str, Any]:
    """Run one case in this process and save (ids, scores) to `out` (.npz).

    Seconds: the median of `repeat` calls. Memory, from /proc/self/status: RSS before the
    first call (Python, libraries and the input table) and the peak during the calls, the
    peak mark reset just before them; the difference is the call's own working memory.
    """
    import gc
    import statistics

    import numpy as np

    table = build(n_patients, shuffle)
    rows = table.num_rows
    call, input_bytes = _scorer(score, impl, table)
    gc.collect()
    reset = _reset_peak()
    before = _status_mb("VmRSS")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ids, vals = call()
        times.append(time.perf_counter() - t0)
        if len(times) < repeat:
            del ids, vals
            gc.collect()
    peak = _status_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ids = np.asarray(ids).astype(np.int64)
    vals = np.asarray(vals).astype(np.float64)
    order = np.argsort(ids, kind="stable")
    np.savez(out, ids=ids[order], scores=vals[order])
    return {"rows": rows, "seconds": statistics.median(times), "runs": repeat,
            "rss_before_mb": before, "peak_mb": peak, "input_bytes": input_bytes}


def multi_category_patients(n_patients: int) -> Any:
    """Patients with a code that flags two Elixhauser categories (comorbidipy counts one)."""
    import numpy as np

    from carecoord import risk

    table = build(n_patients)
    e = risk.explain(table.select(["id", "code"]), "elixhauser", patient="id")
    # A code listed under two categories of one patient.
    pairs: Dict[Tuple[int, str], int] = {}
    for pid, codes in zip(e.column("patient_id").to_pylist(), e.column("codes").to_pylist()):
        for c in codes.split(";"):
            pairs[(pid, c)] = pairs.get((pid, c), 0) + 1
    return np.array(sorted({p for (p, _), k in pairs.items() if k > 1}), dtype=np.int64)


def check(score: str, files: Dict[str, str], n_patients: int) -> Dict[str, str]:
    import numpy as np

    ref = np.load(files["carecoord"])
    notes: Dict[str, str] = {}
    for impl in IMPLS[1:]:
        if impl not in files:
            continue
        got = np.load(files[impl])
        assert np.array_equal(ref["ids"], got["ids"]), f"{impl} {score}: patient sets differ"
        a, b = ref["scores"], got["scores"]
        if impl == "pycomorb":
            bad = int((a != b).sum())
            assert bad == 0, f"pycomorb {score}: {bad} patients differ"
            notes[impl] = "identical"
        elif score == "charlson":
            bad = int((a != b).sum())
            assert bad == 0, f"comorbidipy charlson: {bad} patients differ"
            notes[impl] = "identical"
        elif score == "hfrs":
            assert np.array_equal(np.round(b, 1), a), "comorbidipy hfrs differs after rounding"
            notes[impl] = f"identical after rounding ({int((b != a).sum())} unrounded sums)"
        else:
            multi = np.isin(ref["ids"], multi_category_patients(n_patients))
            ok = ~multi
            assert np.array_equal(b[ok], np.maximum(a[ok], 0)), "comorbidipy elixhauser differs"
            clipped = int(((a < 0) & ok).sum())
            notes[impl] = (
                f"= max(0, ours) for the {int(ok.sum())} patients without a two-category code "
                f"({clipped} negative totals clipped); {int((a[multi] != b[multi]).sum())} of "
                f"{int(multi.sum())} with one differ"
            )
    return notes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0,
                    help="fraction of 1,000,000 patients (x 10 codes) to run")
    ap.add_argument("--only", nargs="*", default=None, help="impls to run (default: all)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="timed calls per case, median reported (comorbidipy always runs once)")
    ap.add_argument("--shuffle", action="store_true",
                    help="rows in a seeded random order instead of sorted by patient")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    n_patients = max(1, int(FULL_PATIENTS * args.scale))
    if args.case:
        score, impl = args.case.split("/")
        repeat = 1 if impl == "comorbidipy" else args.repeat
        print(json.dumps(run_case(score, impl, n_patients, args.out, repeat, args.shuffle)))
        return

    impls = args.only or list(IMPLS)
    if "carecoord" not in impls:
        impls.insert(0, "carecoord")
    results: List[Dict[str, Any]] = []
    notes: Dict[Tuple[str, str], str] = {}
    all_files: Dict[str, Dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for score in SCORES:
            files: Dict[str, str] = {}
            for impl in impls:
                out = os.path.join(tmp, f"{score}_{impl}.npz")
                p = subprocess.run(
                    [sys.executable, __file__, "--case", f"{score}/{impl}",
                     "--scale", str(args.scale), "--repeat", str(args.repeat), "--out", out]
                    + (["--shuffle"] if args.shuffle else []),
                    capture_output=True, text=True,
                )
                if p.returncode != 0:
                    print(f"{score}/{impl} failed:\n{p.stderr[-2000:]}", file=sys.stderr)
                    results.append({"score": score, "impl": impl, "failed": True})
                    continue
                r = json.loads(p.stdout.strip().splitlines()[-1])
                r.update(score=score, impl=impl)
                results.append(r)
                files[impl] = out
                print(f"  {score}/{impl}: {r['seconds']:.2f} s", file=sys.stderr)
            all_files[score] = files
        # Checked only after every case has run: on Linux a child's ru_maxrss starts from the
        # parent's peak RSS (kept across fork and exec), so the parent stays small until then.
        for score, files in all_files.items():
            if "carecoord" in files:
                for impl, note in check(score, files, n_patients).items():
                    notes[(score, impl)] = note

    import carecoord

    print(f"carecoord {carecoord.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, "
          f"{n_patients:,} patients x {CODES_PER_PATIENT} codes"
          f"{' (rows shuffled)' if args.shuffle else ''}; "
          f"load average at end {os.getloadavg()[0]:.1f}")
    print()
    print("| score | implementation | input | rows | seconds (median) | rows/s | speed-up vs carecoord "
          "| input (MB) | RSS before call (MB) | peak during call (MB) | call's extra memory "
          "(MB, x input) | agreement |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    base = {r["score"]: r["seconds"] for r in results if r["impl"] == "carecoord" and "seconds" in r}
    for r in results:
        if r.get("failed"):
            print(f"| {r['score']} | {r['impl']} | {INPUT[r['impl']]} | failed | | | | | | | | |")
            continue
        ratio = r["seconds"] / base[r["score"]] if r["score"] in base else float("nan")
        speed = "1.0" if r["impl"] == "carecoord" else f"carecoord {ratio:.1f}x faster"
        inp = r["input_bytes"] / 2**20
        extra = r["peak_mb"] - r["rss_before_mb"]
        print(
            f"| {r['score']} | {r['impl']} | {INPUT[r['impl']]} | {r['rows']:,} | "
            f"{r['seconds']:.3f} | {r['rows'] / r['seconds']:,.0f} | {speed} | {inp:,.0f} | "
            f"{r['rss_before_mb']:,.0f} | {r['peak_mb']:,.0f} | {extra:,.0f} ({extra / inp:.2f}x) | "
            f"{'reference' if r['impl'] == 'carecoord' else notes.get((r['score'], r['impl']), '')} |"
        )


if __name__ == "__main__":
    main()
