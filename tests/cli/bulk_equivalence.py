#!/usr/bin/env python3
"""`vigil classify` CSV to CSV: the bulk path answers as the general path does, row for row and
error for error.

The bulk path takes a header of id, the plan's facts and product; --general-path sends the same
file through the general reader. Both runs must print the same stdout, the same stderr and exit
with the same code: over seeded random rows (more than one
4 MiB block, so rows cross block ends), rows the bulk reader hands back to the general path
(quoted fields, quoted line breaks, CRLF, blank lines, a BOM, Excel booleans, blank cells, spaces
around values), and one file per malformed value (the error names the same line and column); and
the same for the brief JSON Lines form (--out jsonl --brief), whose rows must also be the full
classification's rows with fields left out.
Run: bulk_equivalence.py path/to/vigil
"""
import json
import os
import random
import subprocess
import sys
import tempfile

FACTS = ["rare_cases", "severe_cases", "deaths", "similar_cases_nearby", "provinces_with_II",
         "prefectures_with_III", "counties_with_III", "counties_with_IV", "streets_with_IV"]


def random_row(rng, i):
    quiet = rng.random() < 0.3
    vals = [str(rng.randrange(12 if quiet else 60)), str(rng.randrange(3 if quiet else 12)),
            str(0 if quiet else rng.randrange(7)), rng.choice(["true", "false"])]
    vals += [str(rng.randrange(2) if rng.random() < 0.9 else 2 + rng.randrange(2)) for _ in range(5)]
    ident = f"c{i}"
    r = rng.random()
    if r < 0.002:
        ident = f'"c{i},quoted ""id"""'  # a quoted field: handed to the general path
    elif r < 0.004:
        ident = f"簇{i}"
    return [ident] + vals + [rng.choice(["drug"] * 9 + ["device"])]


def run(vigil, args, path):
    p = subprocess.run([vigil, "classify"] + args + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout, p.stderr


def write(path, header, rows, crlf_every=0, bom=False, blank_every=0):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(("\ufeff" if bom else "") + ",".join(header) + "\n")
        for i, r in enumerate(rows):
            if blank_every and i % blank_every == 0:
                f.write("\n")
            end = "\r\n" if crlf_every and i % crlf_every == 0 else "\n"
            f.write(",".join(r) + end)


def same(name, ra, rb):
    """Whether two runs (exit, stdout, stderr) of the bulk and the general path agree; if not, says where."""
    if ra == rb:
        return True
    print(f"FAIL {name}: bulk exit {ra[0]}, general exit {rb[0]}")
    la, lb = ra[1].splitlines(), rb[1].splitlines()
    for k, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            print(f"  first stdout difference at output line {k + 1}:\n  bulk    {x!r}\n  general {y!r}")
            break
    else:
        if len(la) != len(lb):
            print(f"  stdout: {len(la)} lines from bulk, {len(lb)} from general")
    if ra[2] != rb[2]:
        print(f"  stderr bulk:    {ra[2][:600]!r}\n  stderr general: {rb[2][:600]!r}")
    return False


def compare(vigil, tmp, name, header, rows, args=(), **kw):
    a = os.path.join(tmp, name + ".csv")
    write(a, header, rows, **kw)
    ra, rb = run(vigil, list(args), a), run(vigil, list(args) + ["--general-path"], a)
    if not same(name, ra, rb):
        return False
    print(f"ok   {name} (exit {ra[0]}, {len(ra[1].splitlines())} output lines)")
    return True


def six_levels(tmp):
    """yuzhong with two more response levels, set for grades III and IV: a plan file in tmp."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "data", "plans", "yuzhong.json"), encoding="utf-8") as f:
        plan = json.load(f)
    levels = plan["responses"]["levels"]
    for n in (5, 6):
        extra = json.loads(json.dumps(levels[-1]))
        extra["level"] = n
        levels.append(extra)
    for rule in plan["responses"]["rules"]:
        if rule.get("when") == [{"grade": "IV"}]:
            rule["set"] = 6
        elif rule.get("when") == [{"grade": "III"}]:
            rule["set"] = 5
    path = os.path.join(tmp, "six_levels.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False)
    return path


def main():
    vigil = sys.argv[1]
    rng = random.Random(20261123)
    header = ["id"] + FACTS + ["product"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        rows = [random_row(rng, i) for i in range(160000)]  # ~5.5 MB: more than one block
        ok &= compare(vigil, tmp, "random rows, yuzhong", header, rows, ["--plan", "yuzhong"])
        ok &= compare(vigil, tmp, "random rows, guiyang (scope: drug)", header, rows, ["--plan", "guiyang"])
        ok &= compare(vigil, tmp, "CRLF, blank lines, BOM", header, rows[:5000], ["--plan", "yuzhong"],
                      crlf_every=3, bom=True, blank_every=97)
        shuffled = header[:]
        rng.shuffle(shuffled)
        idx = [header.index(h) for h in shuffled]
        ok &= compare(vigil, tmp, "columns in another order", shuffled, [[r[k] for k in idx] for r in rows[:5000]],
                      ["--plan", "yuzhong"])
        # what a spreadsheet's export holds: Excel booleans, blank cells, spaces around values, ids
        # quoted with line breaks, commas and quotes in them (records crossing the 4 MiB blocks)
        mixed = [r[:] for r in rows]
        for k in range(0, len(mixed), 7):
            mixed[k][4] = rng.choice(["TRUE", "False", "1", "0", "是", "否", " true "])
        for k in range(3, len(mixed), 11):
            mixed[k][rng.choice([1, 2, 5, 10])] = ""
        for k in range(5, len(mixed), 13):
            mixed[k][3] = " " + mixed[k][3] + "\t"
        for k in range(2, len(mixed), 17):
            mixed[k][0] = f'"c{k}\nline two, ""quoted""\r\nthree"'
        ok &= compare(vigil, tmp, "Excel booleans, blank cells, padded values, quoted line breaks", header, mixed,
                      ["--plan", "guiyang"])
        for name, text in [("an unterminated quote", '"c1\nnever closed'), ("a quote inside a field", 'c"1')]:
            bad = [r[:] for r in rows[:3000]]
            bad[2500][0] = text
            ok &= compare(vigil, tmp, f"{name} at line 2502", header, bad, ["--plan", "yuzhong"])
        bad_values = [("rare_cases", "x1"), ("rare_cases", "-1"), ("rare_cases", "4294967296"), ("deaths", ""),
                      ("severe_cases", "12345678901"), ("similar_cases_nearby", "yes"), ("product", "pill"),
                      ("id", ""), ("deaths", "3 ")]
        for col, v in bad_values:
            bad = [r[:] for r in rows[:3000]]
            bad[2500][header.index(col)] = v
            ok &= compare(vigil, tmp, f"bad {col} = {v!r} at line 2502", header, bad, ["--plan", "yuzhong", "--strict"])
        ok &= compare(vigil, tmp, "header only", header, [], ["--plan", "yuzhong"])
        # a plan of more than four response levels (levels 5 and 6 set for grades IV and III): the
        # response column is written as the general path writes it
        ok &= compare(vigil, tmp, "six response levels", header, rows[:20000], ["--plan", six_levels(tmp)])
        # the brief JSON Lines form: the bulk path's rows equal the general path's
        brief = ["--out", "jsonl", "--brief"]
        ok &= compare(vigil, tmp, "brief JSONL, random rows, yuzhong", header, rows, ["--plan", "yuzhong"] + brief)
        ok &= compare(vigil, tmp, "brief JSONL, Excel booleans, blank cells, quoted line breaks, guiyang", header, mixed,
                      ["--plan", "guiyang"] + brief)
        bad = [r[:] for r in rows[:3000]]
        bad[2500][header.index("deaths")] = "x"
        ok &= compare(vigil, tmp, "brief JSONL, bad deaths at line 2502", header, bad, ["--plan", "yuzhong"] + brief)
        ok &= brief_is_subset(vigil, tmp, header, rows[:3000] + mixed[:3000])
    print("bulk and general paths agree" if ok else "bulk and general paths DIFFER")
    return 0 if ok else 1


def brief_is_subset(vigil, tmp, header, rows):
    """Each brief row is the full classification's row with fields left out (docs/json.md)."""
    path = os.path.join(tmp, "subset.csv")
    write(path, header, rows, False)
    for plan in ["yuzhong", "guiyang"]:
        _, full, _ = run(vigil, ["--plan", plan, "--out", "jsonl"], path)
        _, brief, _ = run(vigil, ["--plan", plan, "--out", "jsonl", "--brief"], path)
        full, brief = full.decode().splitlines(), brief.decode().splitlines()
        if len(full) != len(brief) or not full:
            print(f"FAIL brief subset, {plan}: {len(full)} full rows, {len(brief)} brief rows")
            return False
        for k, (f, b) in enumerate(zip(full, brief)):
            f, b = json.loads(f), json.loads(b)
            want = {key: f[key] for key in ["id", "kept", "plan", "plan_version", "plan_sha256", "grade", "in_scope", "override"]
                    if key in f}
            want["matches"] = [{"clause": m["clause"]} for m in f["matches"]]
            want["warning"] = {"colour": f["warning"]["colour"]}
            want["response"] = {"level": f["response"]["level"]}
            if b != want or list(b) != list(want):
                print(f"FAIL brief subset, {plan}, row {k + 1}:\n  brief {b}\n  full  {want}")
                return False
        print(f"ok   brief rows are the full rows' subset, {plan} ({len(brief)} rows)")
    return True


if __name__ == "__main__":
    sys.exit(main())
