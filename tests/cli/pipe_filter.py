#!/usr/bin/env python3
"""`vigil classify` as a filter: with its input and its output pipes, each row's answer comes out
before the input is closed — on the bulk path (a plain CSV header) and the general one (a column
it does not take; JSON Lines), for CSV and JSON Lines output, and with --threads (to a pipe the command grades on one thread).

Writes the header and a row, reads the answer's line(s) back within a time limit while the input
is still open, then a second row, then closes the input and checks the exit code.
Run: pipe_filter.py path/to/vigil
"""
import os
import select
import subprocess
import sys

FACTS = "rare_cases,severe_cases,deaths,similar_cases_nearby,provinces_with_II,prefectures_with_III,counties_with_III,counties_with_IV,streets_with_IV"
WAIT = 20.0  # seconds: a row's answer that has not come by then is held back


def read_lines(fd, n, buf):
    """n complete lines from fd (bytes so far in buf[0]), or None when they do not come in time."""
    while buf[0].count(b"\n") < n:
        ready, _, _ = select.select([fd], [], [], WAIT)
        if not ready:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        buf[0] += chunk
    lines = buf[0].split(b"\n")
    buf[0] = b"\n".join(lines[n:])
    return [l.decode("utf-8") for l in lines[:n]]


def case(vigil, name, args, header, rows, expect):
    """rows[k] gives the answer expect[k] (a list of the substrings of its output lines)."""
    p = subprocess.Popen([vigil, "classify"] + args + ["-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    buf = [b""]
    ok = True
    try:
        if header is not None:
            p.stdin.write((header + "\n").encode("utf-8"))
            p.stdin.flush()
            got = read_lines(p.stdout.fileno(), 1, buf) if "jsonl" not in args else ["id, (JSON Lines: no header)"]
            if got is None or not got[0].startswith("id,"):
                print(f"FAIL {name}: the output's header did not come before the first row (got {got!r})")
                ok = False
        for row, want in zip(rows, expect):
            if not ok:
                break
            p.stdin.write((row + "\n").encode("utf-8"))
            p.stdin.flush()
            got = read_lines(p.stdout.fileno(), 1, buf)
            if got is None:
                print(f"FAIL {name}: no answer to {row!r} within {WAIT:.0f} s while the input is open")
                ok = False
            elif not all(w in got[0] for w in want):
                print(f"FAIL {name}: answer to {row!r} is {got[0]!r}, expected it to hold {want!r}")
                ok = False
        p.stdin.close()
        rc = p.wait(timeout=60)
        err = p.stderr.read().decode("utf-8")
        if ok and rc != 0:
            print(f"FAIL {name}: exit {rc}: {err}")
            ok = False
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    if ok:
        print(f"ok   {name}")
    return ok


def main():
    vigil = sys.argv[1]
    plain = "id," + FACTS + ",product"
    rows = ["a,0,0,3,true,0,0,0,0,0,drug", "b,12,0,0,false,0,0,0,0,0,drug"]
    want = [["a,II,重大,yuzhong 1.5.2(2),red,2"], ["b,IV,一般,yuzhong 1.5.4,yellow,4"]]
    ok = True
    ok &= case(vigil, "bulk path (a plain header), CSV out", ["--plan", "yuzhong"], plain, rows, want)
    ok &= case(vigil, "bulk path, --threads 4 (to a pipe: one thread, a row at a time)", ["--plan", "yuzhong", "--threads", "4"],
               plain, rows, want)
    ok &= case(vigil, "JSON Lines in, brief out, --threads 0", ["--plan", "yuzhong", "--in", "jsonl", "--out", "jsonl", "--brief",
                                                             "--threads", "0"], None,
               ['{"id":"a","product":"drug","deaths":3,"similar_cases_nearby":true}', '{"id":"b","product":"drug","rare_cases":12}'],
               [['"id":"a"', '"grade":"II"'], ['"id":"b"', '"grade":"IV"']])
    ok &= case(vigil, "bulk path, a quoted field (handed to the general path)", ["--plan", "yuzhong"], plain,
               ['"a,1",0,0,3,true,0,0,0,0,0,drug', rows[1]], [['"a,1",II,重大'], want[1]])
    ok &= case(vigil, "general path (an override column), CSV out", ["--plan", "yuzhong"], plain + ",override_grade",
               [r + "," for r in rows], want)
    ok &= case(vigil, "--keep-column on the bulk path", ["--plan", "yuzhong", "--keep-column", "batch"], plain + ",batch",
               [r + ",X1" for r in rows], [["a,X1,II,"], ["b,X1,IV,"]])
    ok &= case(vigil, "CSV in, JSON Lines out", ["--plan", "yuzhong", "--out", "jsonl"], plain, rows,
               [['"id":"a"', '"grade":"II"'], ['"id":"b"', '"grade":"IV"']])
    ok &= case(vigil, "JSON Lines in and out", ["--plan", "yuzhong", "--in", "jsonl", "--out", "jsonl"], None,
               ['{"id":"a","deaths":3,"similar_cases_nearby":true}', '{"id":"b","rare_cases":12}'],
               [['"id":"a"', '"grade":"II"'], ['"id":"b"', '"grade":"IV"']])
    print("vigil classify works as a filter" if ok else "vigil classify holds rows back")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
