#!/usr/bin/env python3
"""vigil incident, end to end: the example walks of both plans, exit codes, tampering, torn tails.

Usage: incident_cli.py path/to/vigil   (run from the project root)
"""
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def run(args, stdin=None):
    p = subprocess.run(args, input=(stdin or "").encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def expect(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("  " + detail[:3000])


def main():
    vigil = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="vigil-incident-cli-")
    for plan in ("yuzhong", "guiyang"):
        log = os.path.join(tmp, plan + ".jsonl")
        rc, out, err = run(["examples/lifecycle/walk.sh", plan, vigil, log])
        expect(f"{plan}: the example walk runs to the end", rc == 0, out + err)
        expect(f"{plan}: the incident is closed", "state     closed" in out, out)
        expect(f"{plan}: the refused event was refused with its reason", "refused" in err and "(refused, as the plan requires" in out, err)
        expect(f"{plan}: verify says the chain verifies", "the chain verifies and replays" in out, out)
        rc, out, err = run([vigil, "incident", "show", log, "--json"])
        expect(f"{plan}: show --json", rc == 0 and '"state":"closed"' in out, out + err)
        expect(f"{plan}: the opening records when the incident occurred", '"occurred_at":"' in out, out)
        rc2, out2, err2 = run([vigil, "incident", "show", log, "--out", "json"])
        expect(f"{plan}: show --out json is show --json", rc2 == 0 and out2 == out, out2 + err2)
        # The deadline tests read this walk's log from tests/data/obligations/: it must be the same, byte for byte.
        kept = f"tests/data/obligations/lifecycle-{plan}.jsonl"
        same = open(log, encoding="utf-8").read() == open(kept, encoding="utf-8").read()
        expect(f"{plan}: {kept} is the log the example walk writes (else copy the walk's log there)", same)
        rc, out, err = run([vigil, "deadlines", "--plan", plan, log])
        anchored = [l for l in out.splitlines() if "occurred" in l]
        expect(f"{plan}: vigil deadlines on the walk's log lists the reports that run from the occurrence", rc == 0 and anchored, out + err)

    log = os.path.join(tmp, "yuzhong.jsonl")
    lines = open(log, encoding="utf-8").read().split("\n")
    # new refuses an existing log
    rc, out, err = run([vigil, "incident", "new", "--plan", "yuzhong", "--actor", "区市场监管局", log])
    expect("new refuses an existing log (exit 1)", rc == 1 and "already exists" in err, err)
    # bad usage: both an event file and --event
    rc, out, err = run([vigil, "incident", "apply", log, "x.json", "--event", "report", "--actor", "区市场监管局"])
    expect("apply with an event file and --event is bad usage (exit 2)", rc == 2, err)
    rc, out, err = run([vigil, "incident", "bogus"])
    expect("an unknown sub-command is bad usage (exit 2)", rc == 2, err)
    # a malformed event
    rc, out, err = run([vigil, "incident", "apply", log, "-"], stdin='{"event": "report", "time": "yesterday"}')
    expect("a malformed event is bad input (exit 1) with its pointers", rc == 1 and "/time" in err and '"actor"' in err, err)
    # a closed incident refuses
    rc, out, err = run([vigil, "incident", "apply", log, "--event", "report", "--actor", "区市场监管局", "--time",
                        "2026-04-01T09:00:00+08:00", "--payload", '{"report_ref": "x"}'])
    expect("a closed incident refuses events (exit 1)", rc == 1 and "final state" in err, err)

    # an occurrence after the opening is refused, and no log is written
    late = os.path.join(tmp, "late.jsonl")
    rc, out, err = run([vigil, "incident", "new", "--plan", "guiyang", "--actor", "市指挥部办公室/主任", "--time",
                        "2026-05-11T09:30:00+08:00", "--occurred", "2026-05-11T09:31:00+08:00", late])
    expect("new refuses an occurrence after the opening (exit 1)",
           rc == 1 and "/payload/occurred_at" in err and "after the log was opened" in err and not os.path.exists(late), err)

    # torn tail: verify warns (exit 0), the next append cuts it
    torn = os.path.join(tmp, "torn.jsonl")
    rc, _, err = run([vigil, "incident", "new", "--plan", "guiyang", "--actor", "市指挥部办公室/主任", "--time",
                      "2026-05-11T09:30:00+08:00", torn])
    expect("new (guiyang)", rc == 0, err)
    with open(torn, "a", encoding="utf-8") as f:
        f.write('{"seq":2,"time":"2026-05-11T09:40:00+08:00","actor":{"unit":"市指')
    rc, out, err = run([vigil, "incident", "verify", torn])
    expect("verify: a torn last record is a warning (exit 0)", rc == 0 and "torn" in err, out + err)
    rc, out, err = run([vigil, "incident", "apply", torn, "examples/lifecycle/guiyang/02_report.json"])
    expect("apply cuts the torn record and appends", rc == 0 and "record 2: report" in out and "torn" in err, out + err)
    rc, out, err = run([vigil, "incident", "verify", torn])
    expect("verify after the cut: clean", rc == 0 and not err, out + err)

    # tampering: change a byte of record 5; delete record 3; swap records 6 and 7
    cases = {
        "edit": lambda ls: ls[:4] + [ls[4].replace("专家研判意见", "专家意见")] + ls[5:],
        "delete": lambda ls: ls[:2] + ls[3:],
        "reorder": lambda ls: ls[:5] + [ls[6], ls[5]] + ls[7:],
    }
    named = {"edit": "record 5:", "delete": "record 3:", "reorder": "record 6:"}
    for name, change in cases.items():
        bad = os.path.join(tmp, f"tampered-{name}.jsonl")
        changed = change(lines)
        expect(f"tamper {name}: the change is real", changed != lines)
        open(bad, "w", encoding="utf-8").write("\n".join(changed))
        rc, out, err = run([vigil, "incident", "verify", bad])
        expect(f"tamper {name}: verify refuses it naming the first bad record (exit 1)",
               rc == 1 and named[name] in err and "chain is broken" in err, out + err)
        rc, out, err = run([vigil, "incident", "apply", bad, "--event", "close", "--actor", "区指挥部/指挥长"])
        expect(f"tamper {name}: apply refuses to append", rc == 1 and named[name] in err, out + err)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
