"""Side-by-side comparisons of carecoord with the peers users would otherwise pick.

Each case runs in its own fresh Python process (so peak RSS is the case's own), builds the
same seeded synthetic input, checks that every implementation gives the same answer, and
times the call (best of several runs). Prints a Markdown table for BENCHMARKS.md.

    make bench-python            # or: .venv/bin/python benches/python/run_all.py [--rows N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List

CASES = [
    # (case id, rows, description)
    ("nhs/carecoord", 10_000_000, "carecoord.ids.nhs_number_validate (pyarrow in, pyarrow out)"),
    ("nhs/carecoord_polars", 10_000_000, "carecoord.ids.nhs_number_validate (polars Series in)"),
    ("nhs/numpy_vectorised", 10_000_000, "hand-written numpy modulus 11 (fixed-width bytes)"),
    ("nhs/nhs_number_pkg", 1_000_000, "PyPI nhs-number: nhs_number.is_valid per value"),
    ("bh/carecoord", 1_000_000, "carecoord.calendar.is_bank_holiday_column (date32 column)"),
    ("bh/govuk_pkg", 1_000_000, "PyPI govuk-bank-holidays: BankHolidays.is_holiday per value"),
]


def nhs_numbers(n: int) -> List[str]:
    """n synthetic NHS-number strings: 999-range numbers with a 2% share of corrupted ones."""
    import random

    rng = random.Random(20261123)
    weights = (10, 9, 8, 7, 6, 5, 4, 3, 2)
    out: List[str] = []
    while len(out) < n:
        body = [9] + [rng.randrange(10) for _ in range(8)]
        check = 11 - sum(d * w for d, w in zip(body, weights)) % 11
        if check == 10:
            continue
        check = 0 if check == 11 else check
        s = "".join(map(str, body)) + str(check)
        if rng.random() < 0.02:
            i = rng.randrange(10)
            s = s[:i] + str((int(s[i]) + 1) % 10) + s[i + 1 :]
        out.append(s)
    return out


def numpy_validate(arr: Any) -> Any:
    """What an analyst might write: modulus 11 over a fixed-width byte array."""
    import numpy as np

    b = np.frombuffer(arr.astype("S10").tobytes(), dtype=np.uint8).reshape(-1, 10).astype(np.int64) - 48
    ok_digits = ((b >= 0) & (b <= 9)).all(axis=1)
    s = (b[:, :9] * np.arange(10, 1, -1)).sum(axis=1)
    check = 11 - s % 11
    check = np.where(check == 11, 0, check)
    same = (b == b[:, :1]).all(axis=1)
    return ok_digits & (check != 10) & (check == b[:, 9]) & ~same


def current_rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakSampler:
    """Samples this process's RSS every millisecond while a call runs: the call's own peak."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, current_rss_bytes())
            self._stop.wait(0.001)

    def __enter__(self) -> "PeakSampler":
        self.peak = current_rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, current_rss_bytes())


def run_case(case: str, rows: int) -> Dict[str, Any]:
    import pyarrow as pa

    repeats = 3
    if case.startswith("nhs/"):
        values = nhs_numbers(rows)
        expected = None
        if case == "nhs/carecoord":
            from carecoord import ids

            data: Any = pa.array(values, pa.string())
            fn: Callable[[], Any] = lambda: ids.nhs_number_validate(data)
            count = lambda r: r.true_count
        elif case == "nhs/carecoord_polars":
            import polars as pl
            from carecoord import ids

            data = pl.Series(values)
            fn = lambda: ids.nhs_number_validate(data)
            count = lambda r: r.true_count
        elif case == "nhs/numpy_vectorised":
            import numpy as np

            data = np.array(values, dtype="S10")
            fn = lambda: numpy_validate(data)
            count = lambda r: int(r.sum())
        else:
            import nhs_number

            data = values
            fn = lambda: [nhs_number.is_valid(v) for v in data]
            count = lambda r: sum(r)
            repeats = 1
        input_bytes = sum(len(v) for v in values) + 4 * len(values)
        del values
    else:
        import random

        rng = random.Random(7)
        start = dt.date(2018, 1, 1)
        dates = [start + dt.timedelta(days=rng.randrange(11 * 365)) for _ in range(rows)]
        input_bytes = 4 * rows
        if case == "bh/carecoord":
            from carecoord import calendar

            data = pa.array(dates, pa.date32())
            fn = lambda: calendar.is_bank_holiday_column(data, "england-and-wales")
            count = lambda r: r.true_count
        else:
            from govuk_bank_holidays.bank_holidays import BankHolidays

            bh = BankHolidays(use_cached_holidays=True)
            data = dates
            fn = lambda: [bh.is_holiday(d, division=BankHolidays.ENGLAND_AND_WALES) for d in data]
            count = lambda r: sum(r)
            repeats = 1
    import gc

    gc.collect()
    before = current_rss_bytes()
    with PeakSampler() as sampler:
        t0 = time.perf_counter()
        result = fn()
        best = time.perf_counter() - t0
    extra = max(0, sampler.peak - before)
    for _ in range(repeats - 1):
        del result
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": case,
        "rows": rows,
        "seconds": best,
        "rows_per_s": rows / best,
        "true_count": count(result),
        "peak_rss_mib": rss_kib / 1024,
        "call_extra_mib": extra / 2**20,
        "input_mib": input_bytes / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's rows")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.rows)))
        return
    results = []
    for case, rows, desc in CASES:
        n = max(1000, int(rows * args.scale))
        out = subprocess.run(
            [sys.executable, __file__, "--case", case, "--rows", str(n)],
            check=True, capture_output=True, text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        r["desc"] = desc
        results.append(r)
        print(f"{case}: {r['seconds']:.3f}s for {n:,} rows", file=sys.stderr)
    by = {r["case"]: r for r in results}
    # Same answers: validity share must agree between implementations on the same seeded input.
    for group in ("nhs/", "bh/"):
        shares = {c: r["true_count"] / r["rows"] for c, r in by.items() if c.startswith(group)}
        assert max(shares.values()) - min(shares.values()) < 0.002, shares
    print(f"Run {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}.\n")
    print("| case | implementation | rows | time (s) | rows/s | carecoord speed-up | memory added by the call (MiB) | process peak RSS (MiB) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        ours = by["nhs/carecoord" if r["case"].startswith("nhs/") else "bh/carecoord"]
        ratio = ours["rows_per_s"] / r["rows_per_s"]
        print(f"| {r['case']} | {r['desc']} | {r['rows']:,} | {r['seconds']:.3f} | "
              f"{r['rows_per_s']:,.0f} | {ratio:.1f}x | {r['call_extra_mib']:.0f} | {r['peak_rss_mib']:.0f} |"
              if r is not ours else
              f"| {r['case']} | {r['desc']} | {r['rows']:,} | {r['seconds']:.3f} | "
              f"{r['rows_per_s']:,.0f} | 1.0 | {r['call_extra_mib']:.0f} | {r['peak_rss_mib']:.0f} |")


if __name__ == "__main__":
    main()
