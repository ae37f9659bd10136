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

    # Logs written under the plans' version 1 (before the version 2 rows and readings) still verify,
    # replay and read as the incident's history under version 2: a log that loads today loads after.
    for plan, missing in (("yuzhong", 34), ("guiyang", 3)):
        old = os.path.join(tmp, f"{plan}-plan-v1.jsonl")
        shutil.copyfile(f"tests/data/obligations/lifecycle-{plan}-plan-v1.jsonl", old)
        rc, out, err = run([vigil, "incident", "verify", old])
        expect(f"{plan}: a log opened under plan version 1 verifies and replays under version 2",
               rc == 0 and f"replays under plan {plan} version 2" in out, out + err)
        rc, out, err = run([vigil, "incident", "show", old])
        expect(f"{plan}: show of the version 1 log says its version and is closed",
               rc == 0 and f"(plan {plan} v1)" in out and "state     closed" in out, out + err)
        # Its walk had not yet recorded every report (the audit says which): read and judged, not refused.
        rc, out, err = run([vigil, "audit", "--plan", plan, "--now", "2026-12-01T00:00:00+08:00", old])
        expect(f"{plan}: the version 1 log is audited (missing {missing}, exit 4)",
               rc == 4 and f"missing {missing}" in out, out + err)

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

    # a refused event's reasons, rule by rule, in Chinese (--lang zh)
    fresh = os.path.join(tmp, "zh.jsonl")
    rc, out, err = run([vigil, "--lang", "zh", "incident", "new", "--plan", "yuzhong", "--actor", "区市场监管局/局长", "--id", "YZ-zh",
                        "--time", "2026-10-01T09:00:00+08:00", fresh])
    expect("zh: new says what it opened in Chinese", rc == 0 and "已按预案 yuzhong 立案事件 YZ-zh" in out, out + err)
    rc, out, err = run([vigil, "--lang", "zh", "incident", "apply", fresh, "--event", "report", "--actor", "区卫健委",
                        "--time", "2026-10-01T10:00:00+08:00", "--payload", '{"report_ref": "x"}'])
    expect("zh: an event the actor may not make: the authority named in Chinese",
           rc == 1 and "区卫健委 在状态 monitoring 下的 report：已拒绝" in err and "权限：区卫健委 无权发出此事件；应由 区市场监管局 发出" in err, err)
    rc, out, err = run([vigil, "--lang", "zh", "incident", "apply", fresh, "--event", "report", "--actor", "区市场监管局",
                        "--time", "2026-10-01T10:00:00+08:00"])
    expect("zh: a guard that fails: the condition and why, in Chinese",
           rc == 1 and "条件 载荷含有 report_ref 不满足：载荷（payload）缺少 report_ref（非空字符串）" in err, err)
    rc, out, err = run([vigil, "--lang", "zh", "incident", "apply", fresh, "--event", "close", "--actor", "区市场监管局",
                        "--time", "2026-10-01T08:00:00+08:00", "--payload", '{"reason": "x"}'])
    expect("zh: time runs forward", rc == 1 and "已拒绝：时间 2026-10-01T08:00:00+08:00 早于上一事件的时间" in err, err)
    rc, out, err = run([vigil, "--lang", "zh", "incident", "apply", fresh, "--event", "report", "--actor", "区市场监管局",
                        "--time", "2026-10-01T10:00:00+08:00", "--payload", '{"report_ref": "x"}'])
    expect("zh: an accepted event and the state after it, in Chinese",
           rc == 0 and "第 2 条记录：区市场监管局 的 report：monitoring -> reported" in out and "状态 reported；级别 无；预警 无；响应 无" in out,
           out + err)
    # the units who may act, kept as a list and joined in the message's language (或 / or); the row
    # refused, in Chinese: its states by their Chinese names, its guard in Chinese
    for lang, who, row in (("zh", "应由 区市场监管局或区指挥部 发出", "载荷含有 report_ref"),
                           ("en", "it is fired by 区市场监管局 or 区指挥部", "payload has {report_ref}")):
        rc, out, err = run([vigil, "--lang", lang, "incident", "apply", fresh, "--event", "follow_up_report", "--actor", "区卫健委",
                            "--time", "2026-10-01T11:00:00+08:00", "--payload", '{"report_ref": "y"}'])
        expect(f"{lang}: a refused actor: the units who may act joined in the message's language, the row's guard",
               rc == 1 and who in err and row in err and ("(same)" in err) == (lang == "en"), err)

    # an occurrence after the opening is refused, and no log is written
    late = os.path.join(tmp, "late.jsonl")
    rc, out, err = run([vigil, "incident", "new", "--plan", "guiyang", "--actor", "市指挥部办公室/主任", "--time",
                        "2026-05-11T09:30:00+08:00", "--occurred", "2026-05-11T09:31:00+08:00", late])
    expect("new refuses an occurrence after the opening (exit 1)",
           rc == 1 and "/payload/occurred_at" in err and "after the log was opened" in err and not os.path.exists(late), err)

    # torn tail after the last acknowledged record (a crash mid-append): verify says so (exit 5) and
    # changes nothing; apply moves its bytes aside to LOG.torn-2 (exit 5); nothing is deleted
    torn = os.path.join(tmp, "torn.jsonl")
    rc, _, err = run([vigil, "incident", "new", "--plan", "guiyang", "--actor", "市指挥部办公室/主任", "--time",
                      "2026-05-11T09:10:00+08:00", torn])
    expect("new (guiyang)", rc == 0, err)
    expect("new: the log is created 0600 and its acknowledgement mark beside it",
           (os.stat(torn).st_mode & 0o777) == 0o600 and os.path.exists(torn + ".ack") and
           (os.stat(torn + ".ack").st_mode & 0o777) == 0o600, oct(os.stat(torn).st_mode))
    expect("new: no temporary file is left beside the log", sorted(f for f in os.listdir(tmp) if f.startswith("torn")) ==
           ["torn.jsonl", "torn.jsonl.ack"], str(os.listdir(tmp)))
    tail = '{"seq":2,"time":"2026-05-11T09:40:00+08:00","actor":{"unit":"市指'
    with open(torn, "a", encoding="utf-8") as f:
        f.write(tail)
    before = open(torn, "rb").read()
    rc, out, err = run([vigil, "incident", "verify", torn])
    expect("verify: a torn last record after the acknowledged ones: exit 5, named on stderr, file unchanged",
           rc == 5 and "record 2 is torn" in err and "never acknowledged" in err and open(torn, "rb").read() == before, out + err)
    rc, out, err = run([vigil, "incident", "show", torn])
    expect("show: the torn record is said (exit 5)", rc == 5 and "torn" in err, out + err)
    rc, out, err = run([vigil, "incident", "apply", torn, "examples/lifecycle/guiyang/01_report.json"])
    expect("apply moves the torn record aside to LOG.torn-2, names it, appends (exit 5)",
           rc == 5 and "record 2: report" in out and torn + ".torn-2" in err, out + err)
    expect("the torn bytes are kept in LOG.torn-2", open(torn + ".torn-2", encoding="utf-8").read() == tail)
    rc, out, err = run([vigil, "incident", "verify", torn])
    expect("verify after the move: clean", rc == 0 and not err, out + err)

    # damage: a log cut inside an acknowledged record is refused by every command and left as it
    # is; repair sets the damaged tail aside, naming the bytes and the records it removes
    cut = open(torn, "rb").read()
    damaged = cut[:len(cut) - 50]
    open(torn, "wb").write(damaged)
    for cmd in (["verify", torn], ["show", torn],
                ["apply", torn, "--event", "report", "--actor", "市指挥部办公室/主任", "--payload", '{"report_ref": "x"}']):
        rc, out, err = run([vigil, "incident"] + cmd)
        expect(f"{cmd[0]}: a log cut inside acknowledged record 2 is damage, not a crash (exit 1), unchanged",
               rc == 1 and "inside acknowledged records" in err and "damage" in err and open(torn, "rb").read() == damaged,
               out + err)
    zh_torn = torn + ".zh"
    open(zh_torn, "wb").write(damaged)
    shutil.copy(torn + ".ack", zh_torn + ".ack")
    rc, out, err = run([vigil, "--lang", "zh", "incident", "repair", zh_torn])
    expect("repair in Chinese (--lang zh) names the same bytes, records and files",
           rc == 0 and "已从 " + zh_torn + " 移除第 " in out and "这些字节保存在 " + zh_torn + ".torn-2" in out and
           "已确认的第 2-2 条记录不在日志中" in out and "确认标记 " + zh_torn + ".ack 现记为第 1 条记录" in out and
           "removed bytes" not in out and "acknowledgement mark" not in out, out + err)
    rc, out, err = run([vigil, "incident", "repair", torn])
    expect("repair names the bytes and the acknowledged record it removes and where they are kept",
           rc == 0 and "removed bytes" in out and "acknowledged record(s) 2-2 are missing" in out and
           torn + ".torn-2.2" in out, out + err)
    expect("repair kept the removed bytes", open(torn + ".torn-2.2", "rb").read() == damaged[damaged.rfind(b"\n") + 1:])
    rc, out, err = run([vigil, "incident", "verify", torn])
    expect("verify after repair: clean, 1 record", rc == 0 and "1 records" in out and not err, out + err)
    rc, out, err = run([vigil, "incident", "repair", torn])
    expect("repair of a sound log changes nothing", rc == 0 and "nothing to repair" in out, out + err)

    # a log names no file to open: a validly chained log whose plan is a path is refused without
    # opening it; a plan file's log carries its hash and needs --plan with the same content
    crafted = os.path.join(tmp, "crafted.jsonl")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import hashlib, json as _json
    body = ('{"seq":1,"time":"2026-05-11T09:30:00+08:00","actor":{"unit":"x","role":""},"event":"open","payload":'
            + _json.dumps({"plan": "../../../../../../etc/passwd", "incident": "x"}, separators=(",", ":"))
            + ',"prev":"' + "0" * 64 + '"')
    open(crafted, "w").write(body + ',"hash":"' + hashlib.sha256(body.encode()).hexdigest() + '"}\n')
    for sub in ("verify", "show"):
        rc, out, err = run([vigil, "incident", sub, crafted])
        expect(f"{sub}: a log naming a path as its plan is refused; the path is not opened",
               rc == 1 and "not a built-in plan" in err and "passwd:" not in err and "root:" not in out + err, out + err)
    rc, out, err = run([vigil, "incident", "apply", crafted, "--event", "x", "--actor", "x"])
    expect("apply: the same", rc == 1 and "not a built-in plan" in err, out + err)
    planfile = os.path.join(tmp, "plan.json")
    shutil.copy("data/plans/guiyang.json", planfile)
    flog = os.path.join(tmp, "fileplan.jsonl")
    rc, out, err = run([vigil, "incident", "new", "--plan", planfile, "--actor", "市指挥部办公室/主任", flog])
    expect("new under a plan file records its content hash", rc == 0 and '"plan_sha256":"' +
           hashlib.sha256(open(planfile, "rb").read()).hexdigest() + '"' in open(flog, encoding="utf-8").read(), out + err)
    rc, out, err = run([vigil, "incident", "verify", flog])
    expect("a plan file's log without --plan: refused, asking for the file", rc == 1 and "give that plan file with --plan" in err, out + err)
    rc, out, err = run([vigil, "incident", "verify", flog, "--plan", planfile])
    expect("with --plan and the same content: verifies", rc == 0, out + err)
    rc, out, err = run([vigil, "incident", "verify", flog, "--plan", "guiyang"])
    expect("with the built-in plan of the same content: verifies", rc == 0, out + err)
    # deadlines and audit read the log's plan the same way
    rc, out, err = run([vigil, "deadlines", flog])
    expect("deadlines: a plan file's log without --plan: bad usage, asking for the file",
           rc == 2 and "give that plan file with --plan" in err, out + err)
    for plan in (planfile, "guiyang"):
        rc, out, err = run([vigil, "deadlines", "--plan", plan, flog])
        expect(f"deadlines: a plan file's log with --plan {os.path.basename(plan)} (the same content)",
               rc == 0 and "plan guiyang, incident" in out, out + err)
    open(planfile, "a").write(" ")
    rc, out, err = run([vigil, "incident", "verify", flog, "--plan", planfile])
    expect("with the plan file changed: refused (hash)", rc == 1 and "/payload/plan_sha256" in err, out + err)
    for sub in ("deadlines", "audit"):
        rc, out, err = run([vigil, sub, "--plan", planfile, flog])
        expect(f"{sub}: with the plan file changed: a mismatch, bad usage naming both contents",
               rc == 2 and "is the log of an incident of plan \"guiyang\" (a plan file, content SHA-256" in err
               and "leave --plan out" in err, out + err)

    # the log itself: a symbolic link is not followed, a FIFO or a directory not waited on
    link = os.path.join(tmp, "link.jsonl")
    os.symlink(torn, link)
    before = open(torn, "rb").read()
    rc, out, err = run([vigil, "incident", "apply", link, "--event", "report", "--actor", "市指挥部办公室/主任"])
    expect("apply refuses a symbolic link (exit 1), the target unchanged",
           rc == 1 and "symbolic link" in err and open(torn, "rb").read() == before, out + err)
    fifo = os.path.join(tmp, "fifo.jsonl")
    os.mkfifo(fifo)
    for sub in ("verify", "apply"):
        args = [vigil, "incident", sub, fifo, "--plan", "guiyang"] + (["--event", "x", "--actor", "x"] if sub == "apply" else [])
        rc, out, err = run(args)
        expect(f"{sub}: a FIFO as the log is refused at once", rc == 1 and "not a regular file" in err, out + err)
    rc, out, err = run([vigil, "incident", "verify", tmp, "--plan", "guiyang"])
    expect("verify: a directory as the log is refused", rc == 1 and "is a directory" in err, out + err)

    # tampering: change a byte of record 5; delete record 3; swap records 6 and 7
    cases = {
        "edit": lambda ls: ls[:4] + [ls[4].replace("现场核实", "现场复核")] + ls[5:],
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
