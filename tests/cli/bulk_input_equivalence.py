#!/usr/bin/env python3
"""`vigil classify` to CSV: the bulk path for JSON Lines input, and for CSV with modifier and
override columns, answers as the general path (--general-path) does, row for row and error for
error.

Each case is one input file run twice, on the bulk path and with --general-path: both runs must
print the same stdout, the same stderr and exit with the same code. The plans' facts are read from
the plans (data/plans/*.json): no fact name is written here but for the ones the cases spoil.
For the large cases a run with --stats checks that the bulk path took the file (it says bytes).
Cases: seeded random rows over every fact and modifier (more than one 4 MiB block), keys in
random order, names and Chinese labels, overrides (with and without a clause); the examples;
and one file per edge case (a duplicate key, an unknown key, a bad type, a number the general
path reads otherwise or at its limits, null, a nested value, escapes, literals cut short, broken
structure, strings about the scanner's 16-byte steps, invalid UTF-8, a BOM, blank lines, CRLF,
trailing text, a missing id, product or fact, a refused override …), each after 2500 good rows;
rows with any JSON whitespace between their tokens. For CSV of fact columns only: fields at every
offset of the scanner's 64-byte steps, counts of 1 to 11 digits, every spelling of a product, a
line at a 4 MiB block's end, the last line's ends, and one file per edge case.
Run: bulk_input_equivalence.py path/to/vigil
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from bulk_equivalence import same  # the report of a difference, one for both tests

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def load_plan(name):
    with open(os.path.join(ROOT, "data", "plans", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def input_facts(plan):
    return [f for f in plan["facts"] if f["kind"] != "sum"]


def clause_ids(plan_name, vigil):
    """The plan's clause ids by grade, from `vigil plan show` (its criteria lines)."""
    out = subprocess.run([vigil, "plan", "show", plan_name], stdout=subprocess.PIPE, check=True).stdout.decode()
    ids = {}
    for line in out.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] in ("I", "II", "III", "IV") and not line.startswith(" "):
            ids.setdefault(parts[0], []).append(parts[2].strip())
    return ids


def random_value(rng, f, quiet):
    k = f["kind"]
    if k == "count":
        return rng.randrange(3 if quiet else 60) if rng.random() < 0.7 else rng.randrange(12)
    if k == "boolean":
        return rng.random() < 0.3
    return rng.choice(["none", "IV", "III", "II", "I"])


def random_facts(rng, plan, modifiers=True):
    quiet = rng.random() < 0.3
    vals = {}
    for f in input_facts(plan):
        if f.get("optional") and (not modifiers or rng.random() < 0.4):
            continue
        vals[f["name"]] = random_value(rng, f, quiet)
    return vals


def run(vigil, args, path):
    p = subprocess.run([vigil, "classify"] + args + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    return p.returncode, p.stdout, p.stderr


def compare(vigil, path, name, args, must_be_bulk=False):
    ra = run(vigil, args, path)
    rb = run(vigil, args + ["--general-path"], path)
    if not same(name, ra, rb):
        return False
    if must_be_bulk:
        st = run(vigil, args + ["--stats"], path)
        if b" bytes in " not in st[2]:
            print(f"FAIL {name}: not taken by the bulk path: {st[2][-300:]!r}")
            return False
    print(f"ok   {name} (exit {ra[0]}, {len(ra[1].splitlines())} output lines)")
    return True


def json_row(rng, i, plan, labels=False, modifiers=True, overrides=None):
    vals = random_facts(rng, plan, modifiers)
    r = rng.random()
    row = {"id": i if r < 0.2 else f"c{i}" if r > 0.01 else f"簇{i}", "product": rng.choice(["drug"] * 9 + ["device"])}
    for f in input_facts(plan):
        if f["name"] in vals:
            key = f["label"]["zh"] if labels and rng.random() < 0.3 else f["name"]
            row[key] = vals[f["name"]]
    if overrides and row["product"] == "drug" and rng.random() < 0.02:  # drug: in both plans' scope
        g = rng.choice(["I", "II", "III", "IV"])
        row["override_grade"] = g
        row["override_by"] = "张三 专家组组长"
        row["override_reason"] = "专家会商认定"
        row["override_at"] = "2026-11-20T10:00:00+08:00"
        if rng.random() < 0.5 and overrides.get(g):
            row["override_clause"] = rng.choice(overrides[g])
    items = list(row.items())
    if rng.random() < 0.5:
        rng.shuffle(items)
    return dict(items)


def shape_cases(vigil, tmp, rng, plan_name, facts, args):
    """Rows of one shape (the same keys in the same order, written without spaces), and in their
    midst one row of that shape with a value or its structure spoilt: the bulk path takes the
    shaped rows step by step, and must answer the spoilt one as the general path does."""
    ok = True
    count = next(f["name"] for f in facts if f["kind"] == "count")
    boolean = next(f["name"] for f in facts if f["kind"] == "boolean" and not f.get("optional"))
    opt_bool = next((f["name"] for f in facts if f["kind"] == "boolean" and f.get("optional")), None)
    grade_f = next((f["name"] for f in facts if f["kind"] == "grade"), None)
    last = facts[-1]["name"]

    def row(i, numeric_id):
        r = {"id": i if numeric_id else f"c{i}", "product": "drug" if i % 5 else "device"}
        for f in facts:
            r[f["name"]] = random_value(rng, f, i % 3 == 0)
        return r

    def text(r):
        return json.dumps(r, ensure_ascii=False, separators=(",", ":"))

    def with_value(r, key, raw):  # the row's text with key's value written as raw
        parts = []
        for k, v in r.items():
            parts.append(json.dumps(k, ensure_ascii=False) + ":" + (raw if k == key else json.dumps(v, ensure_ascii=False)))
        return "{" + ",".join(parts) + "}"

    spoil = {
        "count": ["1.0", "1e2", "-1", "-0", "01", "00", "0", "7", "10", "99", "09", "12.5", "12e1", "100", "12345678", "123456789", "4294967295", "4294967296",
                  "99999999999999999999", "12ab", "null", "true", '"12"', "[1]", "{}", " 1", "1 ", ""],
        "boolean": ["1", "0", "2", "01", "10", "11", '"是"', '"TRUE"', '"false"', '""', "tru", "truex", "fals", "falsey", "True",
                    "null", "false ", " true", "[true]"],
        "grade": ['"II"', '"V"', "2", '""', '"none"', '"\\u0049"', '"I "', "true", "null"],
        "id": ['""', '"e,1"', '"e\\n"', '"e\\"1"', "007", "0", "-1", "1.5", "1e3", "9999999999999999999",
               "18446744073709551616", "1234567890123456", "12345678901234567", '"簇1"', '"e\udcff"', '"e\x7f"',
               "true", "null"],
        "product": ['"pill"', '"device"', '""', '"药品"', '"医疗器械"', '"drug\\u0000"', '"drug\udce6"', "1", "true"],
    }
    cases = []
    for numeric_id in (True, False):
        base = [row(i, numeric_id) for i in range(400)]
        model = base[200]
        targets = [("id", spoil["id"]), ("product", spoil["product"]), (count, spoil["count"]), (boolean, spoil["boolean"]),
                   (last, spoil[next(f["kind"] for f in facts if f["name"] == last)])]
        if opt_bool:
            targets.append((opt_bool, spoil["boolean"]))
        if grade_f:
            targets.append((grade_f, spoil["grade"]))
        for key, values in targets:
            for raw in values:
                cases.append((f"{key} = {raw!r}, ids {'numbers' if numeric_id else 'strings'}", base, with_value(model, key, raw)))
        m = text(model)
        keys = list(model)
        no_opt = {k: v for k, v in model.items() if k != opt_bool}
        swapped = dict([(keys[1], model[keys[1]]), (keys[0], model[keys[0]])] + [(k, model[k]) for k in keys[2:]])
        structural = {
            "no closing brace": m[:-1],
            "text after the object": m + " x",
            "two closing braces": m + "}",
            "spaces after": m + "  \t",
            "spaces before": "  " + m,
            "CRLF": m + "\r",
            "a space after a comma": m.replace(",", ", ", 1),
            "a space before a colon": m.replace('":', '" :', 1),
            "a comma before the brace": m[:-1] + ",}",
            "the first key twice": m[:-1] + "," + json.dumps(keys[0]) + ":" + json.dumps(model[keys[0]]) + "}",
            "the last key twice": m[:-1] + "," + json.dumps(keys[-1]) + ":" + json.dumps(model[keys[-1]]) + "}",
            "a key more": m[:-1] + ',"bogus":1}',
            "an override": m[:-1] + ',"override_grade":"II","override_by":"张三","override_reason":"专家会商认定"}',
            "two keys swapped": text(swapped),
            "the required fact left out": text({k: v for k, v in model.items() if k != count}),
            "the object cut after a comma": m[:m.index(",", 20) + 1],
            "the object cut in a key": m[:m.index(",", 20) + 4],
            "the object cut after a colon": m[:m.index(":", 20) + 1],
            "an empty object": "{}",
            "a blank line": "",
            "a label for a name": m.replace(json.dumps(count), json.dumps(next(f["label"]["zh"] for f in facts if f["name"] == count)), 1),
        }
        if opt_bool:
            structural["an optional fact left out"] = text(no_opt)
        for name, line in structural.items():
            cases.append((f"{name}, ids {'numbers' if numeric_id else 'strings'}", base, line))
    path = os.path.join(tmp, "shape.jsonl")
    for name, base, line in cases:
        with open(path, "w", encoding="utf-8", newline="", errors="surrogateescape") as f:
            for i, r in enumerate(base):
                if i == 201:
                    f.write(line + "\n")
                f.write(text(r) + "\n")
        ok &= compare(vigil, path, f"JSONL {plan_name}: shaped rows, then {name} at line 202", args)
    # optional facts left out of shaped rows (a step a row may skip): one, several, all, the last
    # key, and an optional key moved out of the shape's order or given twice; rows of many shapes
    # in turn (the shape replaced, and then no shape tried for a while)
    optional = [f["name"] for f in facts if f.get("optional")]
    if optional:
        variants = []
        for i in range(40000):  # past one 4 MiB block: a step left out must not leave a row before's value
            r = row(i, i % 2 == 0)
            k = i % 9
            if k == 1:
                r.pop(rng.choice(optional))
            elif k == 2:
                for o in rng.sample(optional, min(3, len(optional))):
                    r.pop(o)
            elif k == 3:
                for o in optional:
                    r.pop(o)
            elif k == 4:
                r.pop(list(r)[-1])
            elif k == 5:  # an optional key moved first after the id
                o = rng.choice(optional)
                v = r.pop(o)
                items = list(r.items())
                r = dict(items[:1] + [(o, v)] + items[1:])
            line = text(r)
            if k == 6 and i > 38000:  # an optional key twice (the general path's error), late in the file
                o = optional[-1]
                line = line[:-1] + "," + json.dumps(o) + ":" + json.dumps(r.get(o, False)) + "}"
            variants.append(line)
        for name, lines in (("optional facts left out, moved", [v for j, v in enumerate(variants) if j % 9 != 6 or j <= 38000]),
                            ("optional facts left out, then one given twice", variants)):
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write("\n".join(lines) + "\n")
            ok &= compare(vigil, path, f"JSONL {plan_name}: shaped rows, {name}", args, must_be_bulk="twice" not in name)
        many = []
        for i in range(4000):
            r = row(i, True)
            items = list(r.items())
            if i % 2000 < 1500:
                rng.shuffle(items)  # a shape a row for 1500 rows, then one shape for 500
            many.append(text(dict(items)))
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(many) + "\n")
        ok &= compare(vigil, path, f"JSONL {plan_name}: rows of many shapes, then of one", args, must_be_bulk=True)
    # CRLF lines throughout (a Windows export), the last one without its line break
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(text(row(i, i % 3 == 0)) for i in range(3000)) + "\r")
    ok &= compare(vigil, path, f"JSONL {plan_name}: shaped rows, CRLF lines", args, must_be_bulk=True)
    # the last line without its line break, of the shape and spoilt
    for end in ("", "}", " "):
        with open(path, "w", encoding="utf-8", newline="") as f:
            rows = [row(i, True) for i in range(300)]
            f.write("\n".join(text(r) for r in rows) + end)
        ok &= compare(vigil, path, f"JSONL {plan_name}: shaped rows, the last without a line break, then {end!r}", args)
    # rows of one length past a 4 MiB block, the last without its '}' and line break: the buffer
    # holds the input shifted by whole rows, so the byte after that last row is a stale '}' of the
    # block read before; the row must end where the input ends, not where the stale bytes do
    model = row(7, True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        lines = [text(dict(model, id=1000000 + i)) for i in range(30000)]
        f.write("\n".join(lines) + "\n" + lines[0][:-1])
    ok &= compare(vigil, path, f"JSONL {plan_name}: {len(lines)} rows of one length, the last cut before its '}}'", args)
    return ok


def write_jsonl(path, rows, prefix="", raw_lines=None):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(prefix)
        for i, r in enumerate(rows):
            if raw_lines and i in raw_lines:
                f.write(raw_lines[i] + "\n")
            else:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":") if i % 2 else (", ", ": ")) + "\n")


def csv_cell(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def csv_scanner_cases(vigil, tmp, rng):
    """CSV of fact columns only, about the bulk path's structural pass (separators found 64 bytes
    at a time, counts read 8 digits at a time, product names from a table): fields at every offset
    of the 64-byte steps, counts of every length, every spelling of a product, line ends at a 4 MiB
    block's end, and one file per edge case at line 2502 (default and --strict)."""
    plan = load_plan("yuzhong")
    facts = [f for f in input_facts(plan) if not f.get("optional")]
    header = ["id"] + [f["name"] for f in facts] + ["product"]
    products = [p["id"] for p in plan["products"]] + [p["label"]["zh"] for p in plan["products"]]
    args = ["--plan", "yuzhong"]
    ok = True

    def count_text(r):
        n = rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        v = str(rng.randrange(10 ** (n - 1) if n > 1 else 0, min(10 ** n, 4294967296)))
        return ("0" * (n - len(v)) + v) if r < 0.05 else v  # now and then leading zeros

    def row(i):
        r = rng.random()
        idt = rng.choice(["e", "7", "簇", "é"]) * rng.randrange(1, 70) + str(i) if r < 0.5 else str(i)
        cells = [idt]
        for f in facts:
            cells.append(rng.choice(["true", "false"]) if f["kind"] == "boolean" else count_text(rng.random()))
        cells.append(rng.choice(products[:1] * 6 + products))
        return ",".join(cells)

    def write(path, lines, head=None, end="\n"):
        with open(path, "w", encoding="utf-8", newline="", errors="surrogateescape") as f:
            f.write(",".join(head or header) + "\n")
            f.write("\n".join(lines) + end)

    # every offset of the 64-byte steps, more than one block, CRLF on some lines
    lines = [row(i) + ("\r" if i % 5 == 0 else "") for i in range(150000)]
    path = os.path.join(tmp, "scanner.csv")
    write(path, lines)
    ok &= compare(vigil, path, "CSV fact columns: fields at every offset, counts of 1-10 digits, product names, CRLF", args,
                  must_be_bulk=True)
    # a line that ends at the first block's end (4 MiB, the header included): its '\n' the block's
    # last byte, or the next block's first, or a CR the last byte and its '\n' the next block's first
    block = 4 << 20
    for name, tail in (("its newline the block's last byte", 0), ("its newline the next block's first byte", 1),
                       ("its CR the block's last byte", 1)):
        body, size = [], len(",".join(header)) + 1
        i = 0
        while size < block - 200:
            line = row(i)
            body.append(line)
            size += len(line.encode()) + 1
            i += 1
        crlf = "CR" in name
        # the line's length (its CR counted, its '\n' not) puts its '\n' at byte block - 1 + tail
        pad = block + tail - size - 1 - len(",1" + ",0" * (len(facts) - 1) + ",drug") - (1 if crlf else 0)
        body.append("x" * pad + ",1" + ",0" * (len(facts) - 1) + ",drug" + ("\r" if crlf else ""))
        body += [row(i + k) for k in range(50)]
        path = os.path.join(tmp, "block_end.csv")
        write(path, body)
        ok &= compare(vigil, path, f"CSV fact columns: a line at the block's end, {name}", args, must_be_bulk=True)
    # the last line without a line break, or with a CR alone, or two CRs
    for name, end in (("no line break", ""), ("a CR alone", "\r"), ("two CRs", "\r\r\n"), ("a CR, then a blank line", "\r\n\r\n")):
        path = os.path.join(tmp, "last.csv")
        write(path, [row(i) for i in range(3000)], end=end)
        ok &= compare(vigil, path, f"CSV fact columns: the last line ends with {name}", args)
    # one edge a file, at line 2502
    count = next(k for k, f in enumerate(facts, 1) if f["kind"] == "count")
    boolean = next(k for k, f in enumerate(facts, 1) if f["kind"] == "boolean")
    last = len(header) - 1
    edges = [(count, v) for v in ("99999999", "123456789", "4294967295", "4294967296", "0000000001", "00000000001",
                                  "12345678901", "09", "1a", "a1", "1 ", " 1", "+1", "-0", "", "0x1", "1.0", "\uff11",
                                  "1\r", "4\"", "1\r\r")]
    edges += [(boolean, v) for v in ("truex", "tru", "TRUE", "fals", "falsee", "", "false\r", "是")]
    edges += [(last, v) for v in ("DRUG", "Drug", "drug ", " drug", "drugs", "dru", "", "药", "药品 ", "医疗器械", "de\"vice",
                                  "drug,", "drug,x", "drug\r", "drug\r\r", "drug\x00")]
    edges += [(0, v) for v in ("e", "12345678", "123456789", "eeeeeeé", "eeeeeeeé", "a b", "a\t", "\ta", "e\udcff1", "e\r1",
                               "\"e1\"", "e\"1", "")]
    edges += [(None, v) for v in ("", "\r", ",", ",,,,,,,,,,", "e1", "e1," + ",".join(["0"] * len(facts)) + ",drug,",
                                  "e1," + ",".join(["0"] * (len(facts) - 1)) + ",drug", " ", "\ufeffe1," + ",".join(["0"] * len(facts)) + ",drug")]
    base = [row(i) for i in range(3000)]
    for col, v in edges:
        lines = base[:]
        if col is None:
            lines[2500] = v
        else:
            cells = lines[2500].split(",")
            cells[col] = v
            lines[2500] = ",".join(cells)
        path = os.path.join(tmp, "edge.csv")
        write(path, lines)
        what = "a line" if col is None else header[col]
        ok &= compare(vigil, path, f"CSV fact columns: {what} = {v!r} at line 2502", args)
        ok &= compare(vigil, path, f"CSV fact columns: {what} = {v!r} at line 2502, --strict", args + ["--strict"])
    return ok


def many_products_cases(vigil, tmp, rng):
    """A plan of many products (a third jurisdiction's file): names of one length that share their
    first 8 bytes, names longer than 16 bytes, Chinese labels, and names that are none of them but
    begin alike. product_of() finds a name from its length and first 8 bytes: every product and
    every near miss, in CSV and JSON Lines rows, answered as the general path answers them."""
    plan = load_plan("yuzhong")
    extra = []
    for k in range(24):
        extra.append({"id": f"product_{k:02d}", "label": {"zh": f"产品{k:02d}", "en": f"product {k}"}})
        extra.append({"id": f"a_product_named_at_length_{k:02d}", "label": {"zh": f"很长的产品名称第{k:02d}号", "en": f"long {k}"}})
    extra += [{"id": f"p{k}", "label": {"zh": f"品{k}", "en": f"p{k}"}} for k in range(1, 10)]
    plan["id"] = "many_products"
    plan["products"] = plan["products"] + extra
    plan["scope"]["products"] = [p["id"] for p in plan["products"]]
    plan_path = os.path.join(tmp, "many_products.json")
    with open(plan_path, "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False)
    names = [p["id"] for p in plan["products"]] + [p["label"]["zh"] for p in plan["products"]]
    near = ["product_24", "product_0", "product_000", "p10", "p", "a_product_named_at_length_24",
            "a_product_named_at_length_0", "drugs", "dru", "产品24", "很长的产品名称第24号"]
    facts = [f for f in input_facts(plan) if not f.get("optional")]
    header = ["id"] + [f["name"] for f in facts] + ["product"]
    args = ["--plan", plan_path]
    ok = True
    for bad in (None, *near):
        rows = []
        for i in range(3000):
            r = {"id": f"c{i}"}
            for fct in facts:
                r[fct["name"]] = random_value(rng, fct, False)
            r["product"] = bad if bad is not None and i == 2500 else rng.choice(names)
            rows.append(r)
        what = "every name" if bad is None else f"{bad!r} at line 2502"
        path = os.path.join(tmp, "products.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(",".join(header) + "\n")
            for r in rows:
                f.write(",".join(str(r[h]).lower() if isinstance(r[h], bool) else str(r[h]) for h in header) + "\n")
        ok &= compare(vigil, path, f"CSV, a plan of {len(plan['products'])} products: {what}", args, must_be_bulk=bad is None)
        path = os.path.join(tmp, "products.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
        ok &= compare(vigil, path, f"JSONL, a plan of {len(plan['products'])} products: {what}", args, must_be_bulk=bad is None)
    return ok


def main():
    vigil = sys.argv[1]
    rng = random.Random(20261129)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for plan_name in ("yuzhong", "guiyang"):
            plan = load_plan(plan_name)
            clauses = clause_ids(plan_name, vigil)
            facts = input_facts(plan)
            args = ["--plan", plan_name]

            # ---- JSON Lines: random rows, more than one block
            rows = [json_row(rng, i, plan, labels=True, overrides=clauses) for i in range(30000)]
            path = os.path.join(tmp, f"{plan_name}.jsonl")
            write_jsonl(path, rows)
            ok &= compare(vigil, path, f"JSONL random rows, {plan_name}", args, must_be_bulk=True)
            ok &= compare(vigil, path, f"JSONL random rows, {plan_name}, --strict", args + ["--strict"])

            # ---- JSON Lines: one edge case a file, at line 2501 (the random rows above cross the blocks)
            base = [json_row(rng, i, plan, overrides=None) for i in range(3000)]
            count = next(f["name"] for f in facts if f["kind"] == "count")
            boolean = next(f["name"] for f in facts if f["kind"] == "boolean" and not f.get("optional"))
            grade_f = next((f["name"] for f in facts if f["kind"] == "grade"), None)
            required = next(f["name"] for f in facts if not f.get("optional"))
            label = next(f["label"]["zh"] for f in facts if f["kind"] == "count")
            good = '"id":"e1","product":"drug"'
            edges = {
                "duplicate key": '{"id":"e1","product":"drug","%s":1,"%s":2}' % (count, count),
                "duplicate id": '{"id":"e1","id":"e2","product":"drug"}',
                "name and label": '{%s,"%s":1,"%s":2}' % (good, count, label),
                "unknown key": '{%s,"bogus":1}' % good,
                "unknown key, blank": '{%s,"bogus":""}' % good,
                "bool for a count": '{%s,"%s":true}' % (good, count),
                "string count": '{%s,"%s":"12"}' % (good, count),
                "fraction": '{%s,"%s":1.0}' % (good, count),
                "exponent": '{%s,"%s":1e2}' % (good, count),
                "negative": '{%s,"%s":-1}' % (good, count),
                "minus zero": '{%s,"%s":-0}' % (good, count),
                "leading zero": '{%s,"%s":01}' % (good, count),
                "too large": '{%s,"%s":4294967296}' % (good, count),
                "largest": '{%s,"%s":4294967295}' % (good, count),
                "huge": '{%s,"%s":1e400}' % (good, count),
                "number then letters": '{%s,"%s":12ab}' % (good, count),
                "null": '{%s,"%s":null}' % (good, count),
                "nested": '{%s,"%s":{"a":1}}' % (good, count),
                "array": '{%s,"%s":[1]}' % (good, count),
                "boolean as 1": '{%s,"%s":1}' % (good, boolean),
                "boolean as 2": '{%s,"%s":2}' % (good, boolean),
                "boolean as string": '{%s,"%s":"是"}' % (good, boolean),
                "boolean as TRUE": '{%s,"%s":"TRUE"}' % (good, boolean),
                "boolean misspelt": '{%s,"%s":"yes"}' % (good, boolean),
                "escaped id": '{"id":"e\\u0031\\n","product":"drug"}',
                "id with a comma": '{"id":"e,1","product":"drug"}',
                "id with a quote": '{"id":"e\\"1","product":"drug"}',
                "id with spaces": '{"id":" e1 ","product":"drug"}',
                "numeric id": '{"id":17,"product":"drug"}',
                "negative id": '{"id":-17,"product":"drug"}',
                "fraction id": '{"id":1.5,"product":"drug"}',
                "huge id": '{"id":123456789012345678901234567890,"product":"drug"}',
                "empty id": '{"id":"","product":"drug"}',
                "missing id": '{"product":"drug"}',
                "missing product": '{"id":"e1"}',
                "bad product": '{"id":"e1","product":"pill"}',
                "escaped key": '{"i\\u0064":"e1","product":"drug"}',
                "missing fact": '{%s}' % good,
                "trailing text": '{%s} x' % good,
                "two objects": '{%s}{"id":"e2"}' % good,
                "extra brace": '{%s}}' % good,
                "unterminated": '{%s' % good,
                "not an object": '[1,2]',
                "bare string": '"e1"',
                "control character": '{"id":"e\t1","product":"drug"}',
                "invalid UTF-8": '{"id":"e\udcff1","product":"drug"}',
                "BOM not at the start": '\ufeff{%s}' % good,
                "CRLF": '{%s}\r' % good,
                "spaces around": '  {%s}  \t' % good,
                "blank": '   ',
                "form feed": '\f',
                "override refused (no reason)": '{%s,"override_grade":"II","override_by":"张三"}' % good,
                "override, bad grade": '{%s,"override_grade":"V","override_by":"张三","override_reason":"r"}' % good,
                "override, grade none": '{%s,"override_grade":"none","override_by":"张三","override_reason":"r"}' % good,
                "override, unknown clause": '{%s,"override_grade":"II","override_by":"a","override_reason":"r","override_clause":"nope"}' % good,
                "override, by alone": '{%s,"override_by":"张三","override_reason":"r"}' % good,
                "override out of scope": '{"id":"e1","product":"device","override_grade":"II","override_by":"a","override_reason":"r"}',
                "override, number": '{%s,"override_grade":"II","override_by":7,"override_reason":"r"}' % good,
                # the scanner's edges: numbers at their limits, literals cut short, structure, strings
                # about its 16-byte steps, UTF-8 it must refuse
                "count zero": '{%s,"%s":0}' % (good, count),
                "id zero": '{"id":0,"product":"drug"}',
                "id of 19 digits": '{"id":9999999999999999999,"product":"drug"}',
                "id of 20 digits": '{"id":18446744073709551615,"product":"drug"}',
                "id past 64 bits": '{"id":18446744073709551616,"product":"drug"}',
                "id with leading zeros": '{"id":007,"product":"drug"}',
                "true then letters": '{%s,"%s":truex}' % (good, boolean),
                "true cut short": '{%s,"%s":tru}' % (good, boolean),
                "false cut short": '{%s,"%s":fals}' % (good, boolean),
                "false at the line's end": '{%s,"%s":false' % (good, boolean),
                "boolean, spaces": '{%s,"%s" :\ttrue }' % (good, boolean),
                "True": '{%s,"%s":True}' % (good, boolean),
                "empty object": '{}',
                "open brace": '{',
                "empty key": '{%s,"":1}' % good,
                "key with a space": '{%s,"%s ":1}' % (good, count),
                "key unterminated": '{%s,"%s' % (good, count),
                "no colon": '{"id" "e1","product":"drug"}',
                "no comma": '{"id":"e1" "product":"drug"}',
                "comma before the brace": '{%s,}' % good,
                "two commas": '{%s,,"%s":1}' % (good, count),
                "colon twice": '{"id"::"e1","product":"drug"}',
                "string unterminated": '{"product":"drug","id":"e1',
                "escaped slash in id": '{"id":"e\\/1","product":"drug"}',
                "escape at byte 16": '{"id":"%s\\n","product":"drug"}' % ("e" * 16),
                "DEL in id": '{"id":"e\x7f1","product":"drug"}',
                "NUL in id": '{"id":"e\x001","product":"drug"}',
                "vertical tab between": '{"id":"e1",\v"product":"drug"}',
                "id of 15 bytes": '{"id":"%s","product":"drug"}' % ("e" * 15),
                "id of 16 bytes": '{"id":"%s","product":"drug"}' % ("e" * 16),
                "id of 17 bytes": '{"id":"%s","product":"drug"}' % ("e" * 17),
                "id of 32 bytes": '{"id":"%s","product":"drug"}' % ("e" * 32),
                "id of 33 bytes, Chinese": '{"id":"%s","product":"drug"}' % ("簇" * 11),
                "Chinese across byte 16": '{"id":"%s簇","product":"drug"}' % ("e" * 14),
                "invalid UTF-8 at byte 16": '{"id":"%s\udcff","product":"drug"}' % ("e" * 16),
                "cut UTF-8 in the product": '{"id":"e1","product":"drug\udce6"}',
                "overlong UTF-8": '{"id":"e\udcc0\udcaf","product":"drug"}',
                "UTF-8 surrogate": '{"id":"e\udced\udca0\udc80","product":"drug"}',
                "UTF-8 past U+10FFFF": '{"id":"e\udcf4\udc90\udc80\udc80","product":"drug"}',
                "invalid UTF-8 in an unknown key": '{%s,"b\udcffx":1}' % good,
                # the key expected next compared as "name": at once: a longer key, a space before the
                # colon, a line cut after or inside a key
                "a key longer than a known one": '{%s,"%sx":1}' % (good, count),
                "space before the colon": '{%s,"%s" :1}' % (good, count),
                "cut after a key": '{%s,"%s":' % (good, count),
                "cut inside a key": '{%s,"%s' % (good, count[:3]),
            }
            if grade_f:
                edges["grade modifier"] = '{%s,"%s":"II"}' % (good, grade_f)
                edges["grade modifier, bad"] = '{%s,"%s":"V"}' % (good, grade_f)
                edges["grade modifier, number"] = '{%s,"%s":2}' % (good, grade_f)
                edges["grade modifier, blank"] = '{%s,"%s":""}' % (good, grade_f)
            for name, line in edges.items():
                # every required fact given, so that only the spoiled value differs
                r = dict(base[0])
                path = os.path.join(tmp, "edge.jsonl")
                raw = line
                if name not in ("missing fact",) and line.startswith("{") and '"id":"e1","product":"drug"' in line:
                    fill = ",".join(f'"{f["name"]}":{json.dumps(base[1].get(f["name"], 0))}' for f in facts
                                    if not f.get("optional") and f["name"] != count and f["name"] != boolean and
                                    f["name"] in base[1])
                    raw = line.replace('"id":"e1","product":"drug"', '"id":"e1","product":"drug",' + fill, 1)
                with open(path, "w", encoding="utf-8", newline="", errors="surrogateescape") as f:
                    for i, row in enumerate(base):
                        if i == 2500:
                            f.write(raw + "\n")
                        f.write(json.dumps(row, ensure_ascii=False) + "\n")
                ok &= compare(vigil, path, f"JSONL {plan_name}: {name} at line 2501", args)
                if name in ("missing fact", "missing product", "bad product", "duplicate key"):
                    ok &= compare(vigil, path, f"JSONL {plan_name}: {name} at line 2501, --strict", args + ["--strict"])
            # the scanner: any JSON whitespace between tokens and around the object, CRLF, keys in
            # any order, ids of every length about its 16-byte steps (ASCII and Chinese)
            def spaced(row, k):
                ws = lambda: rng.choice(["", "", " ", "\t", "  ", " \t", "\r"])
                items = list(row.items())
                rng.shuffle(items)
                body = ("," + ws()).join(f"{json.dumps(a, ensure_ascii=False)}{ws()}:{ws()}{json.dumps(v, ensure_ascii=False)}{ws()}"
                                          for a, v in items)
                return rng.choice(["", " ", "\t"]) + "{" + ws() + body + "}" + ws() + rng.choice(["", "\r"])
            spaced_rows = []
            for k, r in enumerate(base):
                r = dict(r)
                if k % 3 == 0:
                    r["id"] = rng.choice(["e", "簇", "é"]) * (k % 41 + 1) + str(k)
                spaced_rows.append(spaced(r, k))
            path = os.path.join(tmp, "spaced.jsonl")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write("\n".join(spaced_rows) + "\n")
            ok &= compare(vigil, path, f"JSONL {plan_name}: whitespace, CRLF, key order, ids of every length", args,
                          must_be_bulk=True)
            # ---- the shape of a row: rows written alike (one key order, no spaces) are taken step by
            # step after the first; each spoilt value or structure below sits among rows of that one
            # shape, at the first key, a middle one and the last, so the step path meets it
            ok &= shape_cases(vigil, tmp, rng, plan_name, facts, args)
            # a BOM on line 1; blank lines; --keep-column and --ignore-column
            path = os.path.join(tmp, "bom.jsonl")
            write_jsonl(path, base[:3000], prefix="\ufeff")
            ok &= compare(vigil, path, f"JSONL {plan_name}: BOM", args)
            path = os.path.join(tmp, "blank_first.jsonl")
            write_jsonl(path, base[:3000], prefix="\n\ufeff")
            ok &= compare(vigil, path, f"JSONL {plan_name}: blank line, then a BOM", args)
            kept_rows = [dict(r, batch=f"B{i % 7}", note=rng.choice(["x", 1, True, 2.5])) for i, r in enumerate(base[:5000])]
            path = os.path.join(tmp, "kept.jsonl")
            write_jsonl(path, kept_rows)
            ok &= compare(vigil, path, f"JSONL {plan_name}: kept and ignored keys", args + ["--keep-column", "batch", "--ignore-column", "note"])
            ok &= compare(vigil, path, f"JSONL {plan_name}: a key kept and read", args + ["--keep-column", "id", "--ignore-column", "note",
                                                                                          "--ignore-column", "batch"])

            # ---- CSV with every modifier and the override columns
            header = ["id"] + [f["name"] for f in facts] + ["product", "override_grade", "override_by", "override_reason",
                                                           "override_at", "override_clause"]
            crow = []
            for i in range(80000):
                r = json_row(rng, i, plan, overrides=clauses)
                cells = [str(r["id"])]
                for f in facts:
                    v = r.get(f["name"])
                    cells.append("" if v is None else csv_cell(v))
                cells.append(r["product"])
                cells += [r.get(k, "") for k in header[-5:]]
                crow.append(cells)
            path = os.path.join(tmp, f"{plan_name}_modifiers.csv")
            write_csv(path, header, crow)
            ok &= compare(vigil, path, f"CSV with modifiers and overrides, {plan_name}", args, must_be_bulk=True)
            mixed = [r[:] for r in crow[:20000]]
            for k in range(0, len(mixed), 7):
                b = header.index(next(f["name"] for f in facts if f["kind"] == "boolean" and f.get("optional")))
                mixed[k][b] = rng.choice(["TRUE", "False", "1", "0", "是", "否", " true ", ""])
            if grade_f:
                g = header.index(grade_f)
                for k in range(3, len(mixed), 11):
                    mixed[k][g] = rng.choice(["", "none", "IV", "I", " II ", "II", "III", "i", "IIII", "NONE", "IIV", "Iv"])
            path = os.path.join(tmp, "mixed.csv")
            write_csv(path, header, mixed)
            ok &= compare(vigil, path, f"CSV modifiers, Excel booleans, padded grades, {plan_name}", args)
            # shuffled columns, and columns left out
            order = list(range(len(header)))
            rng.shuffle(order)
            path = os.path.join(tmp, "shuffled.csv")
            write_csv(path, [header[k] for k in order], [[r[k] for k in order] for r in crow[:20000]])
            ok &= compare(vigil, path, f"CSV modifiers, columns shuffled, {plan_name}", args, must_be_bulk=True)
            some = [k for k in range(len(header)) if k < 10 or k % 2 == 0 or header[k] in ("product",)]
            path = os.path.join(tmp, "some.csv")
            write_csv(path, [header[k] for k in some], [[r[k] for k in some] for r in crow[:20000]])
            ok &= compare(vigil, path, f"CSV some modifier and override columns, {plan_name}", args)
            # the override cells after a blank first one, which the bulk path takes as one run when all
            # are blank: every cell but one blank (the run not blank), the run ended by CRLF, a row
            # without its last override cell or with one more, and the same on every line (the run at
            # every offset of the 64-byte steps)
            runs = [("the last given", ["", "", "", "", next(iter(clauses.values()))[0] if clauses else "x"]),
                    ("override_at given", ["", "", "", "2026-11-30", ""]),
                    ("override_by given", ["", "张三", "", "", ""]),
                    ("all blank, CRLF", ["", "", "", "", "\r"]),
                    ("one cell short", ["", "", "", ""]),
                    ("one cell more", ["", "", "", "", "", ""]),
                    ("a quote", ["", "", "", "\"\"", ""])]
            for what, five in runs:
                for every in (False, True):
                    part = [r[:] for r in crow[:3000]]
                    for k in range(len(part)) if every else (2500,):
                        if part[k][-5] == "":  # not a row with an override
                            part[k] = part[k][:-5] + five
                    path = os.path.join(tmp, "run.csv")
                    write_csv(path, header, part)
                    where = "every line" if every else "line 2502"
                    ok &= compare(vigil, path, f"CSV {plan_name}: override cells: {what} at {where}", args)
            bad_cells = [("override_grade", "V"), ("override_reason", ""), ("override_clause", "nope"), ("product", "device"),
                         ("override_by", " 张三 "), (boolean, ""), (count, "")]
            if grade_f:
                bad_cells += [(grade_f, "V"), (grade_f, "2")]
            for col, v in bad_cells:
                bad = [r[:] for r in crow[:3000]]
                bad[2500][header.index("override_grade")] = "II"
                bad[2500][header.index("override_by")] = "张三"
                bad[2500][header.index("override_reason")] = "专家认定"
                bad[2500][header.index("override_clause")] = ""
                bad[2500][header.index(col)] = v
                path = os.path.join(tmp, "bad.csv")
                write_csv(path, header, bad)
                ok &= compare(vigil, path, f"CSV {plan_name}: override row with {col} = {v!r} at line 2502", args)
                ok &= compare(vigil, path, f"CSV {plan_name}: override row with {col} = {v!r} at line 2502, --strict",
                              args + ["--strict"])
        # ---- CSV of fact columns only: the structural pass's edges
        ok &= csv_scanner_cases(vigil, tmp, rng)
        ok &= many_products_cases(vigil, tmp, rng)
        # ---- the examples
        for plan_name in ("yuzhong", "guiyang"):
            for ex in ("incidents.csv", "export-zh.csv"):
                ok &= compare(vigil, os.path.join(ROOT, "examples", ex), f"examples/{ex}, {plan_name}",
                              ["--plan", plan_name, "--ignore-column", "备注", "--keep-column", "批号"] if ex == "export-zh.csv"
                              else ["--plan", plan_name])
    print("bulk and general paths agree" if ok else "bulk and general paths DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
