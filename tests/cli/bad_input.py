#!/usr/bin/env python3
"""Bad input on the command line, as an attacker or a careless user gives it: every reader checks
the kind and size of its file first and refuses past its documented limit with a clear message,
in bounded memory (each run is limited to 1 GiB of address space and 60 s).

Usage: bad_input.py path/to/vigil   (run from the project root)
"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading

failures = []


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run(args, stdin=None):
    p = subprocess.run(args, stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60, preexec_fn=limit)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if detail:
            print("  " + detail[:2000])


def endless_fifo(path):
    """A FIFO whose writer never stops (until the reader goes away)."""
    os.mkfifo(path)

    def write():
        try:
            with open(path, "wb") as f:
                chunk = b"x" * (1 << 16)
                while True:
                    f.write(chunk)
        except (BrokenPipeError, OSError):
            pass

    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


def main():
    vigil = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="vigil-bad-input-")
    big = os.path.join(tmp, "big")  # 2 GiB without a line break (sparse: zeros)
    with open(big, "wb") as f:
        f.truncate(2 << 30)
    log = os.path.join(tmp, "log.jsonl")
    rc, _, err = run([vigil, "incident", "new", "--plan", "guiyang", "--actor", "市指挥部办公室/主任", log])
    expect("a log to apply events to", rc == 0, err)

    # (name, args with {IN} for the input, expected exit code, words of the message)
    cases = [
        ("plan", [vigil, "plan", "check", "{IN}"], 1, {"DIR": "is a directory", "ZERO": "larger than that",
                                                       "BIG": "at most 4 MiB"}),
        ("classify --plan FILE", [vigil, "classify", "--plan", "{IN}", "examples/incidents.csv"], 1,
         {"DIR": "is a directory", "ZERO": "larger than that", "BIG": "at most 4 MiB"}),
        ("classify input", [vigil, "classify", "--plan", "yuzhong", "{IN}"], 1,
         {"DIR": "is a directory", "ZERO": "longer than 1 MiB", "BIG": "longer than 1 MiB"}),
        ("classify input jsonl", [vigil, "classify", "--plan", "yuzhong", "--in", "jsonl", "--out", "jsonl", "{IN}"], 1,
         {"DIR": "is a directory", "ZERO": "longer than 1 MiB", "BIG": "longer than 1 MiB"}),
        ("timeline", [vigil, "deadlines", "--plan", "yuzhong", "{IN}"], 1,
         {"DIR": "is a directory", "ZERO": "larger than that", "BIG": "at most 16 MiB"}),
        ("calendar", [vigil, "deadlines", "--plan", "yuzhong", "--calendar", "{IN}", "tests/data/obligations/lifecycle-yuzhong.jsonl"], 1,
         {"DIR": "is a directory", "ZERO": "larger than that", "BIG": "at most 1 MiB"}),
        ("first-report template", [vigil, "report", "first", "{IN}"], 1,
         {"DIR": "is a directory", "ZERO": "larger than that", "BIG": "at most 1 MiB"}),
        ("holiday notice", [vigil, "calendar", "import", "{IN}"], 1,
         {"DIR": "is a directory", "ZERO": "larger than that", "BIG": "at most 1 MiB"}),
        ("event file", [vigil, "incident", "apply", log, "{IN}"], 1,
         {"DIR": "is a directory", "ZERO": "larger than that", "BIG": "at most 1 MiB"}),
    ]
    inputs = {"DIR": tmp, "ZERO": "/dev/zero", "BIG": big}
    for name, args, want_rc, says in cases:
        for kind, path in inputs.items():
            a = [x.replace("{IN}", path) for x in args]
            try:
                rc, out, err = run(a)
            except subprocess.TimeoutExpired:
                expect(f"{name}: {kind} refused within 60 s", False)
                continue
            expect(f"{name}: {kind} refused (exit {want_rc}) saying \"{says[kind]}\", in bounded memory",
                   rc == want_rc and says[kind] in err and "terminate" not in err and "bad_alloc" not in err,
                   f"rc {rc}\n{err}")
        # an endless FIFO (only where the command reads a whole file or a line of it)
        fifo = os.path.join(tmp, "fifo-" + name.replace(" ", "_").replace("-", "_"))
        t = endless_fifo(fifo)
        a = [x.replace("{IN}", fifo) for x in args]
        rc, out, err = run(a)
        expect(f"{name}: an endless FIFO refused at the limit (exit {want_rc})",
               rc == want_rc and ("larger than that" in err or "longer than 1 MiB" in err), f"rc {rc}\n{err}")
        t.join(timeout=5)
    # stdin: an endless stream as an event and as classify input
    for name, args in (("event on stdin", [vigil, "incident", "apply", log, "-"]),
                       ("classify on stdin", [vigil, "classify", "--plan", "yuzhong", "-"])):
        with open("/dev/zero", "rb") as z:
            rc, out, err = run(args, stdin=z)
        expect(f"{name}: /dev/zero refused (exit 1)", rc == 1 and ("larger than that" in err or "longer than 1 MiB" in err),
               f"rc {rc}\n{err}")

    # ICH E2B(R3) XML (vigil detect --in e2b): read as a stream by expat, bounded all the same — a
    # directory refused, NUL bytes are not XML, an endless tag stops at 1 MiB, no entity is expanded.
    e2b = [vigil, "detect", "--plan", "guiyang", "--strict", "--in", "e2b"]
    for kind, path, says in (("DIR", tmp, "is a directory"), ("ZERO", "/dev/zero", "malformed XML"),
                             ("BIG", big, "malformed XML")):
        rc, out, err = run(e2b + [path])
        expect(f"E2B: {kind} refused (exit 1) saying \"{says}\", in bounded memory",
               rc == 1 and says in err and "bad_alloc" not in err, f"rc {rc}\n{err}")
    endless_tag = os.path.join(tmp, "endless-tag")
    os.mkfifo(endless_tag)

    def write_endless_tag():
        try:
            with open(endless_tag, "wb") as f:
                f.write(b'<MCCI_IN200100UV01 xmlns="urn:hl7-org:v3" a="')
                while True:
                    f.write(b"b" * (1 << 16))
        except (BrokenPipeError, OSError):
            pass

    t = threading.Thread(target=write_endless_tag, daemon=True)
    t.start()
    rc, out, err = run(e2b + [endless_tag])
    expect("E2B: an endless attribute refused at 1 MiB (exit 1)", rc == 1 and "more than 1 MiB without a complete tag" in err,
           f"rc {rc}\n{err}")
    t.join(timeout=5)
    laughs = os.path.join(tmp, "laughs.xml")
    with open(laughs, "w") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' +
                "".join(f'<!ENTITY a{i} "{("&a" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) +
                ']>\n<MCCI_IN200100UV01 xmlns="urn:hl7-org:v3">&a9;</MCCI_IN200100UV01>\n')
    rc, out, err = run(e2b + [laughs])
    expect("E2B: entity expansion (billion laughs) refused: no DOCTYPE is read (exit 1)",
           rc == 1 and "a DOCTYPE declaration is not accepted" in err, f"rc {rc}\n{err}")

    # Silent acceptance, decided the same way in every reader (docs/reliability.md): a key twice in
    # a JSON object refused (as CSV refuses a column twice); invalid UTF-8 refused (JSON and CSV);
    # a number beyond a double refused; a count written 12.0 refused as in CSV, quoted as written;
    # a UTF-8 byte order mark accepted at the start of every file.
    def write(name, data):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    plan = open("data/plans/guiyang.json", "rb").read()
    bom = b"\xef\xbb\xbf"
    timeline = open("examples/timeline-yuzhong-major.json", "rb").read()
    event = b'{"event": "report", "time": "2026-05-11T09:40:00+08:00", "actor": {"unit": "x", "role": ""}, "payload": {}}'
    rows_csv = "id,deaths,similar_cases_nearby,product\n"
    accepted = [
        ("plan with a BOM", [vigil, "plan", "check", write("bom-plan.json", bom + plan)]),
        ("timeline with a BOM", [vigil, "deadlines", "--plan", "yuzhong", write("bom-timeline.json", bom + timeline)]),
        ("JSONL with a BOM", [vigil, "classify", "--plan", "yuzhong", "--in", "jsonl",
                              write("bom.jsonl", bom + b'{"id":"a","deaths":3,"similar_cases_nearby":true,"product":"drug"}\n')]),
        ("CSV with a BOM", [vigil, "classify", "--plan", "yuzhong", write("bom.csv", bom + (rows_csv + "a,3,true,drug\n").encode())]),
    ]
    for name, args in accepted:
        rc, out, err = run(args)
        expect(f"{name}: accepted (exit 0)", rc == 0, f"rc {rc}\n{err}")
    refused = [
        ("plan with a key twice", [vigil, "plan", "check", write("dup-plan.json", plan.replace(b'{', b'{"id": "x", ', 1))],
         'the key "id" appears twice'),
        ("plan with 1e400", [vigil, "plan", "check", write("big-plan.json", plan.replace(b'{', b'{"x": 1e400, ', 1))],
         "a number out of range"),
        ("timeline with a key twice", [vigil, "deadlines", "--plan", "yuzhong",
                                       write("dup-timeline.json", timeline.replace(b'{', b'{"incident": "x", ', 1))],
         'the key "incident" appears twice'),
        ("event with a key twice", [vigil, "incident", "apply", log, write("dup-event.json", event.replace(b'{', b'{"event": "x", ', 1))],
         'the key "event" appears twice'),
        ("JSONL row with a key twice", [vigil, "classify", "--plan", "yuzhong", "--in", "jsonl",
                                        write("dup.jsonl", '{"id":"a","deaths":3,"deaths":0,"product":"drug"}\n')],
         'the key "deaths" appears twice'),
        ("JSONL count 12.0", [vigil, "classify", "--plan", "yuzhong", "--in", "jsonl",
                              write("frac.jsonl", '{"id":"a","deaths":12.0,"product":"drug"}\n')], 'found "12.0"'),
        ("CSV count 12.0", [vigil, "classify", "--plan", "yuzhong", write("frac.csv", rows_csv + "a,12.0,false,drug\n")],
         'found "12.0"'),
        ("CSV id with invalid UTF-8 (CSV out)", [vigil, "classify", "--plan", "yuzhong",
                                                 write("utf8.csv", rows_csv.encode() + b"a\xff\xfe,3,true,drug\n")],
         "invalid UTF-8"),
        ("CSV id with invalid UTF-8 (JSONL out)", [vigil, "classify", "--plan", "yuzhong", "--out", "jsonl",
                                                   os.path.join(tmp, "utf8.csv")], "invalid UTF-8"),
        ("JSONL id with invalid UTF-8", [vigil, "classify", "--plan", "yuzhong", "--in", "jsonl",
                                         write("utf8.jsonl", b'{"id":"a\xff","deaths":3,"product":"drug"}\n')], "malformed JSON"),
    ]
    for name, args, says in refused:
        rc, out, err = run(args)
        expect(f"{name}: refused (exit 1) saying \"{says}\"", rc == 1 and says in err, f"rc {rc}\n{out}\n{err}")
        if "invalid UTF-8" in name:
            expect(f"{name}: nothing that is not UTF-8 reaches the output", b"\xff" not in out.encode("utf-8", "surrogateescape"))

    # Amplification: instants are bounded (years 1970-2199) and so are the reports a timeline makes
    # owed (10 000): a response running until 9990 is refused at its time; one running daily until
    # 2199 is refused at the bound, in bounded time and memory.
    far = timeline.replace(b'"2026-10-02T18:00:00+08:00"}\n  ]', b'"9990-10-02T18:00:00+08:00"}\n  ]')
    expect("the far timeline is changed", far != timeline)
    rc, out, err = run([vigil, "deadlines", "--plan", "yuzhong", write("far.json", far)])
    expect("a response until 9990: refused, naming the year bound", rc == 1 and "year out of range: vigil accepts years 1970 to 2199" in err,
           f"rc {rc}\n{err}")
    long_run = timeline.replace(b'"2026-10-02T18:00:00+08:00"}\n  ]', b'"2199-10-02T18:00:00+08:00"}\n  ]')
    rc, out, err = run([vigil, "deadlines", "--plan", "yuzhong", write("long.json", long_run)])
    expect("a response running daily until 2199: refused at 10000 reports owed", rc == 1 and "more than 10000 reports owed" in err,
           f"rc {rc}\n{err[:500]}")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
