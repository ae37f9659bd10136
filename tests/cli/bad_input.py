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
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
