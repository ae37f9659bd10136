#!/usr/bin/env python3
"""data/plan.schema.json and vigil's loader must agree.

- every built-in plan (data/plans/*.json), every example plan (examples/plans/*.json) and
  tests/data/plans/minimal.json is valid under the schema;
- every bad plan of tests/data/plans/bad/ is invalid under the schema, except the few defects that
  only the loader can see (listed below, each with the reason).
Uses python3-jsonschema (Debian). Run from the project root.
"""
import glob
import json
import os
import sys

import jsonschema

LOADER_ONLY = {
    "duplicate_clause": "uniqueness of a field across array items is not expressible in JSON Schema",
    "empty_interval": "comparing two bounds' values is not expressible in JSON Schema",
    "syntax": "not JSON at all",
    "too_deep": "a nesting bound is the parser's",
    "party_unknown_unit": "that a party's unit names a unit of /organisation/units is a cross-reference",
    "unknown_fact": "that a condition names a fact of /facts is a cross-reference",
    "criterion_undeclared_fact": "that a condition names a fact of /facts is a cross-reference",
    "count_with_is": "which bounds a fact takes follows from its kind in /facts: a cross-reference",
    "boolean_with_ge": "which bounds a fact takes follows from its kind in /facts: a cross-reference",
    "criterion_grade_fact": "which bounds a fact takes follows from its kind in /facts: a cross-reference",
    "bad_product": "that the scope names a product of /products is a cross-reference",
    "scope_undeclared_product": "that the scope names a product of /products is a cross-reference",
    "fact_unknown_sum_part": "that a sum names facts of /facts is a cross-reference",
    "fact_sum_of_boolean": "that a sum adds counts follows from its parts' kinds: a cross-reference",
    "fact_duplicate": "uniqueness of a field across array items is not expressible in JSON Schema",
    "fact_label_taken": "uniqueness of a field across array items is not expressible in JSON Schema",
    "fact_spread_finer": "comparing two levels is not expressible in JSON Schema",
}


def main():
    schema = json.load(open("data/plan.schema.json", encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    failures = 0
    for path in sorted(glob.glob("data/plans/*.json")) + sorted(glob.glob("examples/plans/*.json")) + ["tests/data/plans/minimal.json", "tests/data/plans/reporting_only.json"]:
        errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
        if errors:
            failures += 1
            for e in errors[:10]:
                print(f"FAIL {path}: /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        else:
            print(f"ok   {path} is valid")
    for path in sorted(glob.glob("tests/data/plans/bad/*.json")):
        name = os.path.splitext(os.path.basename(path))[0]
        if name in LOADER_ONLY:
            print(f"skip {path}: {LOADER_ONLY[name]}")
            continue
        doc = json.load(open(path, encoding="utf-8"))
        if validator.is_valid(doc):
            failures += 1
            print(f"FAIL {path}: the schema accepts a plan the loader refuses")
        else:
            print(f"ok   {path} is refused")
    print("schema and loader agree" if not failures else f"{failures} disagreement(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
