#!/usr/bin/env python3
"""`vigil classify --threads N` writes what one thread writes: the same stdout, the same stderr (notes
and the first error, with its line and column), the same exit code, byte for byte.

Each case is one input run with --threads 1 and then with --threads 2 and 4, the output written to a
file (to a pipe or a terminal the command grades on one thread, so that each row goes out as it
comes). The threaded runs are also made with tiny chunks (the test-only environment variable
VIGIL_TEST_CHUNK_BYTES), so that small files span hundreds of chunks and an error falls in a late one.
Cases, for both built-in plans, CSV and brief JSON Lines out: seeded random rows (JSON Lines; CSV with
every modifier and override column); bad input at line 2501 of 3000 (an unknown key, a bad type, a
refused override, a record the general path answers, a missing fact's note, trailing text, a byte
order mark …), on the first line and on the last; CSV quoted fields with line breaks (many, and one
unterminated at the end and in the middle); a line longer than 1 MiB; no line break at the end; the
examples.
A --stats run checks that the threads were used (it names them).
Run: threads_equivalence.py path/to/vigil
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from bulk_input_equivalence import clause_ids, csv_cell, input_facts, json_row, load_plan, write_csv, write_jsonl

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def run(vigil, args, path, out_path, threads, chunk=None):
    env = dict(os.environ)
    env.pop("VIGIL_TEST_CHUNK_BYTES", None)
    if chunk:
        env["VIGIL_TEST_CHUNK_BYTES"] = str(chunk)
    with open(out_path, "wb") as out:  # a file: the threaded path (a pipe is graded on one thread)
        p = subprocess.run([vigil, "classify", "--threads", str(threads)] + args + [path], stdout=out,
                           stderr=subprocess.PIPE, env=env, timeout=600)
    with open(out_path, "rb") as f:
        return p.returncode, f.read(), p.stderr


def differ(name, what, ra, rb):
    print(f"FAIL {name} ({what}): exit {ra[0]} vs {rb[0]}")
    for label, a, b in (("stdout", ra[1], rb[1]), ("stderr", ra[2], rb[2])):
        if a == b:
            continue
        la, lb = a.split(b"\n"), b.split(b"\n")
        k = next((i for i in range(min(len(la), len(lb))) if la[i] != lb[i]), min(len(la), len(lb)))
        print(f"  {label} differs at line {k + 1} ({len(la)} vs {len(lb)} lines):")
        print(f"    one thread: {la[k][:200] if k < len(la) else '(ends)'!r}")
        print(f"    threaded:   {lb[k][:200] if k < len(lb) else '(ends)'!r}")


def compare(vigil, tmp, path, name, args, chunks=(None, 4096), expect_exit=None):
    out = os.path.join(tmp, "out")
    one = run(vigil, args, path, out, 1)
    if expect_exit is not None and one[0] != expect_exit:
        print(f"FAIL {name}: one thread exits {one[0]}, the case expects {expect_exit}: {one[2][-300:]!r}")
        return False
    ok = True
    for threads in (2, 4):
        for chunk in chunks:
            r = run(vigil, args, path, out, threads, chunk)
            if r != one:
                differ(name, f"--threads {threads}, chunks of {chunk or 'default'} bytes", one, r)
                ok = False
    if ok:
        lines = one[1].count(b"\n")
        print(f"ok   {name} (exit {one[0]}, {lines} output lines, {len(one[2].splitlines())} stderr lines)")
    return ok


def threads_used(vigil, tmp, path, args):
    """--stats names the threads that graded: 4 on a file, 1 to a pipe."""
    out = os.path.join(tmp, "out")
    r = run(vigil, args + ["--stats"], path, out, 4)
    piped = subprocess.run([vigil, "classify", "--threads", "4", "--stats"] + args + [path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600)
    ok = b"(4 thread(s)," in r[2] and b"(1 thread(s)," in piped.stderr and piped.stdout == r[1]
    print(("ok   " if ok else "FAIL ") + f"--stats: 4 threads to a file, 1 to a pipe, the same rows ({r[2][-120:]!r})")
    return ok


def same_as_general(vigil, tmp, path, name, args):
    """The brief rows of the bulk path (overrides among them: the general path writes those) are the
    general path's, a line a row."""
    out = os.path.join(tmp, "out")
    bulk = run(vigil, args, path, out, 4, 333)
    general = run(vigil, args + ["--general-path"], path, out, 1)
    if bulk != general:
        differ(name, "--threads 4 against --general-path", general, bulk)
        return False
    print(f"ok   {name}: --threads 4 as --general-path")
    return True


def main():
    vigil = sys.argv[1]
    rng = random.Random(20261130)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for plan_name in ("yuzhong", "guiyang"):
            plan = load_plan(plan_name)
            clauses = clause_ids(plan_name, vigil)
            facts = input_facts(plan)
            count = next(f["name"] for f in facts if f["kind"] == "count")
            boolean = next(f["name"] for f in facts if f["kind"] == "boolean" and not f.get("optional"))
            required = [f["name"] for f in facts if not f.get("optional")]
            for form, extra in (("csv", []), ("brief", ["--out", "jsonl", "--brief"])):
                args = ["--plan", plan_name] + extra

                # ---- random rows, overrides among them: JSON Lines, and CSV with every column
                rows = [json_row(rng, i, plan, labels=True, overrides=clauses) for i in range(30000)]
                path = os.path.join(tmp, "random.jsonl")
                write_jsonl(path, rows)
                ok &= compare(vigil, tmp, path, f"JSONL random rows, {plan_name}, {form}", args, expect_exit=0)
                if form == "csv":
                    ok &= threads_used(vigil, tmp, path, args)
                else:
                    ok &= same_as_general(vigil, tmp, path, f"JSONL random rows, {plan_name}, brief", args)
                header = ["id"] + [f["name"] for f in facts] + ["product", "override_grade", "override_by", "override_reason",
                                                               "override_at", "override_clause"]
                crow = []
                for i, r in enumerate(rows):
                    cells = [str(r["id"])] + ["" if r.get(f["name"]) is None else csv_cell(r[f["name"]]) for f in facts]
                    cells.append(r["product"])
                    cells += [r.get(k, "") for k in header[-5:]]
                    crow.append(cells)
                path = os.path.join(tmp, "random.csv")
                write_csv(path, header, crow)
                ok &= compare(vigil, tmp, path, f"CSV with modifiers and overrides, {plan_name}, {form}", args, expect_exit=0)

                # ---- JSON Lines: one bad or odd row at line 2501 of 3000, on the first line, on the last
                base = [json_row(rng, i, plan) for i in range(3000)]
                for r in base:  # every required fact given, so that only the spoiled row differs
                    for f in required:
                        r.setdefault(f, 0 if f != boolean else False)
                fill = ",".join(f'"{f}":0' for f in required if f not in (count, boolean))
                good = '"id":"e1","product":"drug",' + fill
                edges = {
                    "unknown key": '{%s,"%s":1,"%s":true,"bogus":1}' % (good, count, boolean),
                    "bool for a count": '{%s,"%s":true,"%s":true}' % (good, count, boolean),
                    "too large": '{%s,"%s":4294967296,"%s":true}' % (good, count, boolean),
                    "null": '{%s,"%s":null,"%s":true}' % (good, count, boolean),
                    "duplicate key": '{%s,"%s":1,"%s":2,"%s":true}' % (good, count, count, boolean),
                    "trailing text": '{%s,"%s":1,"%s":true} x' % (good, count, boolean),
                    "escaped id (the general path answers)": '{"id":"e\\u0031","product":"drug",%s,"%s":1,"%s":true}' % (fill, count, boolean),
                    "missing fact (a note)": '{"id":"e1","product":"drug"}',
                    "override refused": '{%s,"%s":1,"%s":true,"override_grade":"II","override_by":"张三"}' % (good, count, boolean),
                    "override, unknown clause": '{%s,"%s":1,"%s":true,"override_grade":"II","override_by":"a","override_reason":"r","override_clause":"nope"}' % (good, count, boolean),
                    "override accepted": '{%s,"%s":1,"%s":true,"override_grade":"II","override_by":"a","override_reason":"r"}' % (good, count, boolean),
                    "unterminated": '{%s' % good,
                    # a byte order mark is skipped on the input's first line only (elsewhere: the general path's error)
                    "a byte order mark": '\ufeff{%s,"%s":1,"%s":true}' % (good, count, boolean),
                }
                for name, line in edges.items():
                    for at in (2500, 0, 2999):
                        raw = {at: line}
                        path = os.path.join(tmp, "edge.jsonl")
                        write_jsonl(path, base, raw_lines=raw)
                        ok &= compare(vigil, tmp, path, f"JSONL {plan_name}, {form}: {name} at line {at + 1}", args,
                                      chunks=(None, 1, 333) if at == 2500 else (333,))
                path = os.path.join(tmp, "strict.jsonl")
                write_jsonl(path, base, raw_lines={2500: edges["missing fact (a note)"]})
                ok &= compare(vigil, tmp, path, f"JSONL {plan_name}, {form}: missing fact at line 2501, --strict",
                              args + ["--strict"], chunks=(None, 333))

                # ---- CSV: quoted fields (line breaks in them), bad cells late, odd endings
                csv_base = [r[:] for r in crow[:3000]]
                ci, pi = header.index(count), header.index("product")

                def write(path, rows, tail="\n", prefix=""):
                    with open(path, "w", encoding="utf-8", newline="") as f:
                        f.write(prefix + ",".join(header) + "\n")
                        f.write("\n".join(",".join(r) for r in rows) + tail)

                quoted = [r[:] for r in csv_base]
                ri = header.index("override_reason")
                for k in range(0, len(quoted), 3):
                    quoted[k][0] = '"q%d, ""quoted""\nacross lines"' % k
                for k in range(1, len(quoted), 17):
                    quoted[k][pi] = '"drug"'
                for k in range(2, len(quoted), 29):
                    if quoted[k][header.index("override_grade")]:
                        quoted[k][ri] = '"专家\r\n会商, 认定"'
                path = os.path.join(tmp, "quoted.csv")
                write(path, quoted)
                ok &= compare(vigil, tmp, path, f"CSV quoted fields with line breaks, {plan_name}, {form}", args,
                              chunks=(None, 1, 97, 4096), expect_exit=0)
                csv_edges = {
                    "bad count": (2500, ci, "x1"),
                    "bad product": (2500, pi, "pill"),
                    "quoted bad count": (2500, ci, '"1\n2"'),
                    "unterminated quote": (2500, 0, '"never closed'),
                    "unterminated quote on the last line": (2999, 0, '"never closed'),
                    "blank count (a note)": (2500, ci, ""),
                    "bad count on the first line": (0, ci, "-1"),
                    "bad count on the last line": (2999, ci, "-1"),
                    "override refused": (2500, header.index("override_grade"), "II"),
                }
                for name, (at, col, v) in csv_edges.items():
                    bad = [r[:] for r in csv_base]
                    bad[at][col] = v
                    if name == "override refused":
                        bad[at][header.index("override_by")] = "张三"
                        bad[at][ri] = ""
                    path = os.path.join(tmp, "bad.csv")
                    write(path, bad)
                    ok &= compare(vigil, tmp, path, f"CSV {plan_name}, {form}: {name}", args, chunks=(None, 1, 333))
                path = os.path.join(tmp, "crlf.csv")
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write("\ufeff" + ",".join(header) + "\r\n" + "\r\n".join(",".join(r) for r in csv_base[:2000]) + "\r\n\r\n  \r\n")
                ok &= compare(vigil, tmp, path, f"CSV BOM, CRLF, blank lines at the end, {plan_name}, {form}", args,
                              chunks=(None, 1, 333), expect_exit=0)
                path = os.path.join(tmp, "no_newline.csv")
                write(path, csv_base[:2000], tail="")
                ok &= compare(vigil, tmp, path, f"CSV without a line break at the end, {plan_name}, {form}", args,
                              chunks=(None, 1, 333), expect_exit=0)
            # a line longer than 1 MiB at line 2002 (the general path's error), with and without quotes
            args = ["--plan", plan_name]
            for name, cell in (("a line longer than 1 MiB", "x" * (1 << 20)), ("a quoted record longer than 1 MiB",
                                                                               '"' + "y\n" * (1 << 19) + 'z"')):
                long_rows = [r[:] for r in crow[:4000]]
                long_rows[2000][0] = cell
                path = os.path.join(tmp, "long.csv")
                write_csv(path, header, long_rows)
                ok &= compare(vigil, tmp, path, f"CSV {plan_name}: {name}", args, chunks=(None, 65536))
        # ---- the examples
        for plan_name in ("yuzhong", "guiyang"):
            for ex in ("incidents.csv", "export-zh.csv"):
                ok &= compare(vigil, tmp, os.path.join(ROOT, "examples", ex), f"examples/{ex}, {plan_name}",
                              ["--plan", plan_name, "--ignore-column", "备注", "--ignore-column", "填报人", "--keep-column", "批号"]
                              if ex == "export-zh.csv"
                              else ["--plan", plan_name], chunks=(None, 1, 50))
    print("one thread and many agree" if ok else "one thread and many DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
