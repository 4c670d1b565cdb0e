"""carecoord.risk against pycomorb and comorbidipy: Charlson, Elixhauser and HFRS.

One seeded synthetic long table, 1,000,000 patients x 10 ICD-10 codes (10 million rows) at
``--scale 1``. The code mix: 35% of codes hit a Charlson, Elixhauser or HFRS category (drawn
from ``core/data/risk/``), 65% are common codes that hit none; codes are upper case without
dots, as in HES extracts (the peers' handling of dotted and lower-case codes is covered by
``python/tests/test_risk_peers.py``).

Each case runs in its own fresh Python process, which builds the same input, converts it to
the implementation's natural input (timed: carecoord takes the pyarrow Table and returns a
pyarrow Table; pycomorb gets a polars DataFrame from ``pl.from_arrow``; comorbidipy a pandas
DataFrame from ``Table.to_pandas``), scores it once and reports seconds and peak RSS
(``resource.getrusage``: the whole process, input included; the parent runs no case
and checks the answers only at the end, because a child's ``ru_maxrss`` on Linux starts from
its parent's peak). The parent checks that the
answers agree, modulo the documented peer errors (see test_risk_peers.py):

* comorbidipy Elixhauser clips negative totals to 0 and counts a code that flags two
  categories once: patients without such a code must equal ``max(0, carecoord)``.
* comorbidipy HFRS is an unrounded float sum: compared after rounding to one place.
* pycomorb: exact agreement on all three.

    .venv/bin/python benches/python/bench_risk.py            # full size (10 M rows)
    .venv/bin/python benches/python/bench_risk.py --scale 0.01
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


def build(n_patients: int) -> Any:
    """The seeded input as a pyarrow Table: id (int64), code (string), age (int64)."""
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
    return pa.table({"id": ids, "code": codes, "age": ages})


def run_case(score: str, impl: str, n_patients: int, out: str) -> Dict[str, Any]:
    """Run one case in this process and save (ids, scores) to `out` (.npz)."""
    import numpy as np

    table = build(n_patients)
    rows = table.num_rows
    if impl == "carecoord":
        from carecoord import risk

        input_bytes = table.nbytes
        t0 = time.perf_counter()
        if score == "charlson":
            res = risk.charlson(table, patient="id", age="age")
        elif score == "elixhauser":
            res = risk.elixhauser(table, patient="id")
        else:
            res = risk.hfrs(table, patient="id")
        secs = time.perf_counter() - t0
        ids = res.column("patient_id").to_numpy()
        vals = res.column("score").to_numpy().astype(np.float64)
    elif impl == "pycomorb":
        import polars as pl
        import pycomorb

        t0 = time.perf_counter()
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
        secs = time.perf_counter() - t0
        input_bytes = df.estimated_size()
        ids = r["id"].to_numpy()
        vals = r[col].to_numpy().astype(np.float64)
    else:
        import pandas.core.common as common

        if not hasattr(common, "SettingWithCopyWarning"):  # comorbidipy 0.5.0 on pandas 3
            common.SettingWithCopyWarning = type("SettingWithCopyWarning", (Warning,), {})
        import comorbidipy

        t0 = time.perf_counter()
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
        secs = time.perf_counter() - t0
        input_bytes = int(df.memory_usage(deep=True).sum())
        ids = r["id"].to_numpy().astype(np.int64)
        vals = r[col].to_numpy().astype(np.float64)
    order = np.argsort(ids, kind="stable")
    np.savez(out, ids=ids[order], scores=vals[order])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": secs, "rss_mb": rss_mb, "input_bytes": input_bytes}


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
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    n_patients = max(1, int(FULL_PATIENTS * args.scale))
    if args.case:
        score, impl = args.case.split("/")
        print(json.dumps(run_case(score, impl, n_patients, args.out)))
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
                     "--scale", str(args.scale), "--out", out],
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
          f"{n_patients:,} patients x {CODES_PER_PATIENT} codes; "
          f"load average at end {os.getloadavg()[0]:.1f}")
    print()
    print("| score | implementation | input | rows | seconds | rows/s | speed-up vs carecoord "
          "| peak RSS (MB) | input size (MB) | agreement |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    base = {r["score"]: r["seconds"] for r in results if r["impl"] == "carecoord" and "seconds" in r}
    for r in results:
        if r.get("failed"):
            print(f"| {r['score']} | {r['impl']} | {INPUT[r['impl']]} | failed | | | | | | |")
            continue
        ratio = r["seconds"] / base[r["score"]] if r["score"] in base else float("nan")
        speed = "1.0" if r["impl"] == "carecoord" else f"carecoord {ratio:.1f}x faster"
        print(
            f"| {r['score']} | {r['impl']} | {INPUT[r['impl']]} | {r['rows']:,} | "
            f"{r['seconds']:.2f} | {r['rows'] / r['seconds']:,.0f} | {speed} | "
            f"{r['rss_mb']:,.0f} | {r['input_bytes'] / 2**20:,.0f} | "
            f"{'reference' if r['impl'] == 'carecoord' else notes.get((r['score'], r['impl']), '')} |"
        )


if __name__ == "__main__":
    main()
