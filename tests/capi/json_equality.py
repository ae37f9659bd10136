#!/usr/bin/env python3
"""The command and the C ABI give byte-identical JSON for the same question, over every example.

    json_equality.py path/to/vigil SCRATCH_DIR     (run from the project root; VIGIL_LIBRARY names
                                                    libvigil_c, PYTHONPATH holds bindings/python)

Each answer kind of docs/json.md that both faces give, for every example in examples/:
- classification: every row of examples/incidents.csv under every built-in plan:
  `vigil classify --out jsonl` line == {"id":ID, + vigil_classify_values's out_json without its "{";
- deadlines: every timeline (examples/timeline-*.json and the logs the lifecycle walks write) under
  every built-in plan: `vigil deadlines --out json` == vigil_deadlines_json, and its rows are the
  `--out jsonl` lines byte for byte (or both faces refuse the question);
- audit: the same with `vigil audit --now T --out json|jsonl` and vigil_audit_json(as_of = T);
- incident state: `vigil incident show --out json LOG` == vigil_incident_replay_json for the log of
  each lifecycle walk (examples/lifecycle/walk.sh);
- detected clusters: every case report file (examples/reports*.csv) under every built-in plan:
  `vigil detect [--all]` == vigil_detector_clusters_json of a detector created with
  VIGIL_DETECTOR_KEEP_ALL and fed the file's reports (through the Python binding's Detector);
- alerts: `vigil watch [--level county]` == the alerts vigil_detector_feed gives for the file's
  reports fed in arrival order, in one batch and in batches of 4.
Answers are compared as bytes, never parsed first.
"""
import csv
import ctypes
import datetime
import glob
import json
import os
import subprocess
import sys

from vigil import _capi

lib = _capi.lib
lib.vigil_classify_values.restype = ctypes.c_int
lib.vigil_classify_values.argtypes = [ctypes.POINTER(_capi.vigil_assessment), _capi.str_out, _capi.plan_p,
                                      ctypes.POINTER(ctypes.c_uint32), ctypes.c_size_t, ctypes.c_int32]

EXE = sys.argv[1]
SCRATCH = sys.argv[2]
PLANS = ["yuzhong", "guiyang"]
failures = []
checked = {}


def take(p):
    try:
        return ctypes.string_at(p.value) if p.value else None
    finally:
        if p.value:
            lib.vigil_string_free(p.value)


def check(kind, what, cli, capi):
    checked[kind] = checked.get(kind, 0) + 1
    if cli != capi:
        n = next((i for i in range(min(len(cli), len(capi))) if cli[i] != capi[i]), min(len(cli), len(capi)))
        failures.append("%s, %s: the command and the C ABI differ at byte %d:\n  command: %r\n  C ABI:   %r"
                        % (kind, what, n, cli[max(0, n - 60):n + 60], capi[max(0, n - 60):n + 60]))


def run(*args):
    return subprocess.run([EXE] + list(args), capture_output=True)


def plan_handle(name):
    h = _capi.plan_p()
    assert lib.vigil_plan_builtin(ctypes.byref(h), name.encode()) == 0, name
    return h


plans = {name: plan_handle(name) for name in PLANS}

# ---------------------------------------------------------------- classification
with open("examples/incidents.csv", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
for name, h in plans.items():
    r = run("classify", "--plan", name, "--out", "jsonl", "examples/incidents.csv")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(rows), (name, len(lines), len(rows))
    nfacts = lib.vigil_plan_fact_count(h)
    products = [lib.vigil_plan_product_id(h, i).decode() for i in range(lib.vigil_plan_product_count(h))]
    for row, line in zip(rows, lines):
        values = (ctypes.c_uint32 * max(1, nfacts))()
        for i in range(nfacts):
            fact = lib.vigil_plan_fact_name(h, i).decode()
            kind = lib.vigil_plan_fact_kind(h, i)  # 0 count, 1 boolean, 2 grade, 3 sum
            cell = row.get(fact)
            if cell is None or kind == 3:
                continue
            values[i] = (1 if cell == "true" else 0) if kind == 1 else int(cell)
        a = _capi.vigil_assessment()
        out = ctypes.c_void_p()
        rc = lib.vigil_classify_values(ctypes.byref(a), ctypes.byref(out), h, values, nfacts,
                                       products.index(row["product"]))
        assert rc == 0, lib.vigil_last_error()
        capi = take(out)
        ident = json.dumps(row["id"], ensure_ascii=False).encode()
        check("classification", "%s %s" % (name, row["id"]), line, b'{"id":' + ident + b"," + capi[1:])

# ---------------------------------------------------------------- incident state (and the logs as timelines)
logs = []
for name in PLANS:
    log = os.path.join(SCRATCH, "%s-walk.jsonl" % name)
    for stale in glob.glob(log + "*"):
        os.remove(stale)
    w = subprocess.run(["bash", "examples/lifecycle/walk.sh", name, EXE, log], capture_output=True)
    assert w.returncode == 0, w.stdout + w.stderr
    logs.append(log)
    r = run("incident", "show", "--out", "json", log)
    assert r.returncode == 0, r.stderr
    with open(log, "rb") as f:
        text = f.read()
    out = ctypes.c_void_p()
    assert lib.vigil_incident_replay_json(ctypes.byref(out), plans[name], text, len(text)) == 0, lib.vigil_last_error()
    check("incident state", log, r.stdout.rstrip(b"\n"), take(out))


# ---------------------------------------------------------------- deadlines and audit
def latest(path):
    """The last time a timeline or a log names, as seconds since the epoch: the audit is asked 2 days later."""
    times = []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    docs = [json.loads(l) for l in text.splitlines() if l.strip()] if path.endswith(".jsonl") else [json.loads(text)]
    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("time", "at") and isinstance(x, str) and "T" in x:
                    times.append(datetime.datetime.fromisoformat(x.replace("Z", "+00:00")))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    for d in docs:
        walk(d)
    return int(max(times).timestamp()) + 2 * 86400


timelines = sorted(glob.glob("examples/timeline-*.json")) + logs
for path in timelines:
    with open(path, "rb") as f:
        text = f.read()
    as_of = latest(path)
    now = datetime.datetime.fromtimestamp(as_of, datetime.timezone(datetime.timedelta(hours=8))).isoformat()
    for name, h in plans.items():
        for call, args, rows_key, jsonl_ok in (
                ("deadlines", [], "deadlines", (0, 3)),
                ("audit", ["--now", now], "entries", (0, 3, 4))):
            doc = run(call, "--plan", name, "--out", "json", *args, path)
            out = ctypes.c_void_p()
            fn = lib.vigil_deadlines_json if call == "deadlines" else lib.vigil_audit_json
            rc = fn(ctypes.byref(out), h, None, text, len(text), as_of if call == "audit" else _capi.TIME_NONE)
            capi = take(out)
            what = "%s under %s" % (path, name)
            if doc.returncode not in jsonl_ok:
                # the command refused the question: so must the C ABI
                checked["refused by both: " + call] = checked.get("refused by both: " + call, 0) + 1
                if rc == 0:
                    failures.append("%s, %s: the command refused (%d: %s) but the C ABI answered"
                                    % (call, what, doc.returncode, doc.stderr.decode().strip()))
                continue
            if rc != 0:
                failures.append("%s, %s: the C ABI refused: %s" % (call, what, lib.vigil_last_error()))
                continue
            check(call, what, doc.stdout.rstrip(b"\n"), capi)
            lines = run(call, "--plan", name, "--out", "jsonl", *args, path).stdout.splitlines()
            tail = b'"' + rows_key.encode() + b'":[' + b",".join(lines) + b"]}"
            check(call + " rows (jsonl)", what, capi[len(capi) - len(tail):] if len(tail) <= len(capi) else b"", tail)

# detected clusters and alerts: the command and the Python binding's Detector (vigil_detector_*)
import vigil  # noqa: E402  (the binding over the same library)

for path in sorted(glob.glob("examples/reports*.csv")):
    with open(path, newline="", encoding="utf-8") as f:
        reports = list(csv.DictReader(f))
    for name in PLANS:
        what = "%s under %s" % (path, name)
        for extra in ([], ["--all"]):
            cli = run("detect", "--plan", name, *extra, path)
            d = vigil.Detector(name, keep_all=True)
            d.feed_jsonl(reports)
            check("detected clusters", what + " " + " ".join(extra), cli.stdout, d.clusters_jsonl(all=bool(extra)).encode())
        for levels in ([], ["county"]):
            cli = run("watch", "--plan", name, *sum((["--level", l] for l in levels), []), path)
            d = vigil.Detector(name, levels=levels)
            check("alerts", what + " " + " ".join(levels), cli.stdout, d.feed_jsonl(reports).encode())
            d = vigil.Detector(name, levels=levels)
            got = "".join(d.feed_jsonl(reports[i:i + 4]) for i in range(0, len(reports), 4))
            check("alerts (batches of 4)", what + " " + " ".join(levels), cli.stdout, got.encode())

for p in plans.values():
    lib.vigil_plan_free(p)

for kind in sorted(checked):
    print("%-28s %d compared" % (kind, checked[kind]))
for f in failures:
    print("FAIL " + f)
for kind in ("classification", "incident state", "deadlines", "audit", "deadlines rows (jsonl)", "audit rows (jsonl)",
             "detected clusters", "alerts", "alerts (batches of 4)"):
    if not checked.get(kind):
        print("FAIL nothing compared for " + kind)
        failures.append(kind)
sys.exit(1 if failures else 0)
