#!/usr/bin/env python3
"""The shipped example walks audit clean: every report the plan requires, made on time.

Runs examples/lifecycle/walk.sh PLAN, then `vigil audit` of the log it wrote (no timeline written by
hand), failing on every status but on_time and reported (late, missing, outstanding,
calendar_unknown), as of a time after the incident closed. Each duty the plan owes is listed with
its status; the walk must owe at least the duties named below (so that a walk that owes nothing
cannot pass).

Usage: walk_audit.py path/to/vigil PLAN   (run from the project root)
"""
import json
import os
import subprocess
import sys
import tempfile

# The duties each walk owes (by obligation, how many instances), worked out from the plans' text:
# yuzhong: received 10:00, occurred 08:40, grade III at 10:50, a level 3 response from 2026-03-02 13:30
#   to 2026-03-18 17:00 (16 whole days: 4.4.2(2)'s two daily reports each day), ended and summarised;
#   a yellow warning issued at 10:10 (3.2.4(6): the district informs the departments and the
#   districts concerned, promptly), adjusted to orange at 12:00 (the city's level: no notice of the
#   district's own is owed; the walk's notice of it is a report beyond the duty).
# guiyang: occurred 09:05, grade IV (A5 一般: phone 20 min, written 40 min, the city regulator to the
#   province group 2 hours); a red warning at 09:40 (A3 预警行动: the city HQ office informs the
#   departments, the county reports its handling, promptly).
OWED = {
    "yuzhong": {"yz-4.1.1-1-duty-office": 1, "yz-4.1.1-2-verified": 1, "yz-4.1.4-lesser": 1,
                "yz-4.6-authoritative-information": 1, "yz-4.6-release-III-IV": 1,
                "yz-4.4.2-2-group-daily": 16, "yz-4.4.2-2-work-report": 16, "yz-5.2-summary": 1,
                "yz-3.2.4-6-warning-notice": 1},
    "guiyang": {"gy-A5-IV-phone": 1, "gy-A5-IV-written": 1, "gy-A5-IV-province-group": 1,
                "gy-A3-city-notice": 1, "gy-A3-county-progress": 1},
}
NOW = "2026-12-01T00:00:00+08:00"  # after both walks closed

failures = []


def expect(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("  " + detail[:4000])


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def main():
    vigil, plan = os.path.abspath(sys.argv[1]), sys.argv[2]
    log = os.path.join(tempfile.mkdtemp(prefix="vigil-walk-audit-"), plan + ".jsonl")
    rc, out, err = run(["examples/lifecycle/walk.sh", plan, vigil, log])
    expect(f"{plan}: the walk runs to the end", rc == 0, out + err)
    fail_on = "late,missing,outstanding,calendar_unknown"
    rc, out, err = run([vigil, "audit", "--plan", plan, "--now", NOW, "--fail-on", fail_on, "--out", "jsonl", log])
    expect(f"{plan}: vigil audit --fail-on {fail_on} of the walk's log exits 0", rc == 0, out + err)
    expect(f"{plan}: the audit says nothing on stderr", err == "", err)
    rows = [json.loads(l) for l in out.splitlines() if l.strip()]
    statuses = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        expect(f"{plan}: {r['id']} ({r['clause']}) is on time or reported: {r['status']}",
               r["status"] in ("on_time", "reported"), r.get("finding", ""))
    print(f"{plan}: {len(rows)} duties: {statuses}")
    for bad in ("late", "missing", "outstanding", "calendar_unknown", "not_yet_due"):
        expect(f"{plan}: no duty {bad}", statuses.get(bad, 0) == 0)
    owed = {}
    for r in rows:
        if not r.get("superseded"):
            owed[r["obligation"]] = owed.get(r["obligation"], 0) + 1
    expect(f"{plan}: the walk owes exactly the duties worked out from the plan", owed == OWED[plan],
           f"owed {owed}, expected {OWED[plan]}")
    # The table form agrees: its summary names only on_time and reported.
    rc, out, err = run([vigil, "audit", "--plan", plan, "--now", NOW, log])
    summary = [l for l in out.splitlines() if l.startswith(f"plan {plan}, incident")]
    expect(f"{plan}: the table's summary line counts only on_time and reported",
           rc == 0 and len(summary) == 1 and all(w in ("on_time", "reported") or w.isdigit()
                                                  for w in summary[0].split(": ", 1)[1].split()), out + err)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
