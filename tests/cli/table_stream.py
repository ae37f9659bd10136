#!/usr/bin/env python3
"""`vigil classify --out table` is written as it goes, in bounded memory, and stays aligned.

From a regular file the id column's width comes from a first read of the file: every line of the
table has its columns at the same places, also when the widest id comes late. From a pipe the
first 1000 rows set the width; a longer id after them widens the column from its line on. Either way each row says what the CSV output says for it (grade, 等级, warning,
response, reasons), in the input's order.
Run: table_stream.py path/to/vigil
"""
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata

FACTS = ["rare_cases", "severe_cases", "deaths", "similar_cases_nearby", "provinces_with_II",
         "prefectures_with_III", "counties_with_III", "counties_with_IV", "streets_with_IV"]


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def run(vigil, args, path=None, stdin=None):
    p = subprocess.run([vigil, "classify", "--plan", "yuzhong"] + args + [path or "-"], input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def grade_at(line, header):
    """Display column where the grade cell starts (after the id and two spaces)."""
    m = re.match(r"^(.*?\S)  +(none|IV|III|II|I) ", line)
    return width(line[:m.start(2)]) if m else None


def main():
    vigil = sys.argv[1]
    rng = random.Random(7)
    rows = []
    for i in range(3000):
        ident = f"c{i}" if i != 2500 else "一个很长很长的编号-" + "x" * 40
        vals = [str(rng.randrange(60)), str(rng.randrange(12)), str(rng.randrange(7)), rng.choice(["true", "false"])]
        vals += [str(rng.randrange(3)) for _ in range(5)]
        rows.append([ident] + vals + ["drug"])
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rows.csv")
        text = "id," + ",".join(FACTS) + ",product\n" + "".join(",".join(r) + "\n" for r in rows)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        rc, csv_out, _ = run(vigil, [], path)
        expected = [l.split(",") for l in csv_out.splitlines()[1:]]
        for name, (rc, out, err) in [("file", run(vigil, ["--out", "table"], path)),
                                     ("pipe", run(vigil, ["--out", "table"], None, text.encode()))]:
            lines = out.splitlines()
            if rc != 0 or len(lines) != len(rows) + 2:
                print(f"FAIL {name}: exit {rc}, {len(lines)} lines; {err[:300]}")
                ok = False
                continue
            head = lines[0].index("grade")
            body = lines[1:-1]
            places = [grade_at(l, lines[0]) for l in body]
            # the id column's width: every id from a file; from a pipe the first 1000, then it widens
            w = max(width(r[0]) for r in rows) if name == "file" else max([2] + [width(r[0]) for r in rows[:1000]])
            want = []
            for r in rows:
                w = max(w, width(r[0]))
                want.append(w + 2)
            off = [k for k, (p, q) in enumerate(zip(places, want)) if p != q]
            if off or (name == "file" and head != want[0]):
                print(f"FAIL {name}: rows whose grade column is not where expected: {off[:5]}, header at {head}")
                ok = False
            if lines[-1] != f"plan: yuzhong (重庆市渝中区药品和医疗器械安全突发事件应急预案); {len(rows)} incident(s)":
                print(f"FAIL {name}: last line {lines[-1]!r}")
                ok = False
            for k, (line, e) in enumerate(zip(body, expected)):
                cells = re.split(r"  +", line.rstrip())
                if cells[0] != e[0] or cells[1] != e[1] or (e[2] and cells[2] != e[2]) or line.rstrip().split("  ")[-1].strip() != (e[3] or line.rstrip().split("  ")[-1].strip()):
                    print(f"FAIL {name}: row {k + 1} {line!r} against CSV {e}")
                    ok = False
                    break
                warn = e[4]
                if warn not in cells or (e[5] not in cells):
                    print(f"FAIL {name}: row {k + 1} {line!r}: warning {warn} / response {e[5]} missing")
                    ok = False
                    break
            if ok:
                print(f"ok   {name}: {len(body)} rows, aligned, the same answers as the CSV output")
    print("table streams" if ok else "table FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
