#!/usr/bin/env python3
"""CLI golden tests: runs each case of cases.json against the vigil command and compares.

A case: {"name", "args": [...], "stdin": "..." (optional), "env": {...} (optional), "rc": 0,
         "stdout": "expected/NAME.out" (exact) or "stdout_contains": [...],
         "stderr_contains": [...], "stderr_empty": true, "stdout_empty": true,
         "max_width": N (every stdout line at most N terminal columns, a CJK character two)}
Run from the project root: run_golden.py path/to/vigil tests/cli [--update]
"""
import json
import os
import subprocess
import sys
import unicodedata


def main():
    exe, here = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv
    cases = json.load(open(os.path.join(here, "cases.json"), encoding="utf-8"))
    failures = 0
    known = {"name", "args", "stdin", "env", "rc", "stdout", "stdout_contains", "stderr_contains",
             "stderr_empty", "stdout_empty", "max_width"}
    for case in cases:
        name = case["name"]
        unknown = sorted(set(case) - known)
        if unknown:  # a misspelt check would check nothing
            failures += 1
            print(f"FAIL {name}: unknown keys {unknown}; known: {sorted(known)}")
            continue
        # English unless the case asks otherwise ("env": {"LANG": "zh_CN.UTF-8"}): the output's
        # language follows the locale (--lang's default).
        env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
        env.update(case.get("env", {}))
        p = subprocess.run([exe] + case["args"], input=case.get("stdin", "").encode("utf-8"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, env=env)
        out, err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
        problems = []
        if p.returncode != case.get("rc", 0):
            problems.append(f"exit code {p.returncode}, expected {case.get('rc', 0)}")
        if "stdout" in case:
            path = os.path.join(here, case["stdout"])
            if update:
                open(path, "w", encoding="utf-8").write(out)
            expected = open(path, encoding="utf-8").read()
            if out != expected:
                problems.append(f"stdout differs from {case['stdout']}:\n--- got\n{out}--- expected\n{expected}")
        for s in case.get("stdout_contains", []):
            if s not in out:
                problems.append(f"stdout lacks {s!r}")
        for s in case.get("stderr_contains", []):
            if s not in err:
                problems.append(f"stderr lacks {s!r}")
        if "max_width" in case:
            # terminal columns: East Asian wide, full-width and ambiguous characters take two
            wide = lambda ch: 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1
            for k, line in enumerate(out.splitlines()):
                w = sum(wide(ch) for ch in line)
                if w > case["max_width"]:
                    problems.append(f"stdout line {k + 1} is {w} columns wide, more than {case['max_width']}: {line!r}")
        if case.get("stdout_empty") and out:
            problems.append(f"stdout not empty: {out[:500]!r}")
        if case.get("stderr_empty") and err:
            problems.append(f"stderr not empty: {err!r}")
        if problems:
            failures += 1
            print(f"FAIL {name}: " + "\n  ".join(problems))
            print(f"  stderr was: {err[:2000]}")
        else:
            print(f"ok   {name}")
    print(f"{len(cases) - failures} of {len(cases)} CLI cases passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
