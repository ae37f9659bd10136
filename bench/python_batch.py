#!/usr/bin/env python3
"""Python figure: grade 10 M clusters from numpy arrays with warning and response columns.

vigil.Plan.classify_columns(..., decide=True): one call into libvigil_c (vigil_classify_columns),
which grades and decides in one pass over the columns. Prints the best of N runs (wall and process CPU time,
numpy arrays made beforehand, outputs allocated by the call as a user gets them) and, for
comparison, grades alone. Data: the same kind of clusters as bench_classify.cpp (30 % quiet,
the rest across the bounds; 20 % with a possible grade, each flag on 1 row in 8).
Run: VIGIL_LIBRARY=build/src/capi/libvigil_c.so PYTHONPATH=bindings/python python3 bench/python_batch.py [rows] [runs]
"""
import sys
import time

import numpy as np

import vigil

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
rng = np.random.default_rng(20261123)
quiet = rng.random(n) < 0.3
u32 = np.uint32


def counts(quiet_hi, hi):
    return np.where(quiet, rng.integers(0, quiet_hi, n), rng.integers(0, hi, n)).astype(u32)


plan = vigil.load_plan("yuzhong")
columns = {
    "rare_cases": counts(12, 60),
    "severe_cases": counts(3, 12),
    "deaths": np.where(quiet, 0, rng.integers(0, 7, n)).astype(u32),
    "similar_cases_nearby": rng.integers(0, 2, n).astype(u32),
}
for f in ["provinces_with_II", "prefectures_with_III", "counties_with_III", "counties_with_IV", "streets_with_IV"]:
    columns[f] = np.where(quiet | (rng.random(n) < 0.94), rng.integers(0, 2, n), 2 + rng.integers(0, 2, n)).astype(u32)
columns["possible_grade"] = np.where(rng.random(n) < 0.2, 1 + rng.integers(0, 4, n), 0).astype(u32)
for f in ["sensitive", "key_period", "spreading", "wide_or_complex", "controlled"]:
    columns[f] = (rng.random(n) < 0.125).astype(u32)
products = (rng.random(n) < 0.1).astype(np.uint8)


def best(decide):
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        r = plan.classify_columns(columns, products=products, matched=False, decide=decide)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu), r


t_dec, c_dec, r = best(True)
t_grades, c_grades, _ = best(False)
w = np.bincount(r["warnings"], minlength=5)
print("rows %d, runs %d (best of)" % (n, runs))
print("grades + warnings + responses: wall %.1f ms, %.0f M rows/s; CPU %.1f ms, %.0f M rows/s"
      % (t_dec * 1e3, n / t_dec / 1e6, c_dec * 1e3, n / c_dec / 1e6))
print("grades alone:                  wall %.1f ms, %.0f M rows/s; CPU %.1f ms, %.0f M rows/s"
      % (t_grades * 1e3, n / t_grades / 1e6, c_grades * 1e3, n / c_grades / 1e6))
print("warnings by colour (none, blue, yellow, orange, red):", list(w))
print("responses by level (none, 1, 2, 3, 4):", list(np.bincount(r["responses"], minlength=5)))
