#!/usr/bin/env python3
"""The Chinese deadline note tells the calendar arithmetic as the English one does, for each unit
that needs the calendar: working days (yuzhong 5.2 over the 2026 National Day break, the plan as
shipped), and calendar days and months (the same plan with that deadline rewritten, in a temporary
file). Each row: the deadline, then what the English and the Chinese note of yz-5.2 must contain.

Run from the project root: zh_notes.py path/to/vigil
"""
import json
import os
import subprocess
import sys
import tempfile

TIMELINE = "tests/cli/deadlines/timeline-yuzhong-national-day.json"

CASES = [
    ({"working_days": 7},
     ["+7 working days after 2026-09-28 (that day not counted), skipped 2026-10-01…07 (国庆节 holiday), "
      "skipped 2026-10-11 (weekend), counted Saturday 2026-10-10 (国庆节 make-up working day); "
      "the 7th working day is Tuesday 2026-10-13"],
     ["计算：2026年9月28日（星期一）当日不计，自次日起算7个工作日，跳过2026年10月1日至7日（国庆节假期）、"
      "2026年10月11日（周末）；2026年10月10日（星期六）为国庆节调休上班日，计入；"
      "第7个工作日为2026年10月13日（星期二），应于当日24时（2026-10-14T00:00:00+08:00）前报告"]),
    ({"working_days": 2},
     ["+2 working days after 2026-09-28 (that day not counted); the 2nd working day is Wednesday 2026-09-30"],
     ["计算：2026年9月28日（星期一）当日不计，自次日起算2个工作日，其间无周末、节假日或调休；"
      "第2个工作日为2026年9月30日（星期三），应于当日24时（2026-10-01T00:00:00+08:00）前报告"]),
    ({"calendar_days": 5},
     ["= 2026-10-03, a holiday; skipped 2026-10-03…07 (国庆节 holiday): the last day is the next working day, Thursday 2026-10-08"],
     ["计算：2026年9月28日当日不计，自次日起算5日（民法典第二百零一条），期间最后一日为2026年10月3日（星期六）；"
      "该日为法定节假日，跳过2026年10月3日至7日（国庆节假期），顺延至其后第一个工作日2026年10月8日（星期四）（第二百零三条），"
      "应于当日24时（2026-10-09T00:00:00+08:00）前报告"]),
    ({"months": 1},
     ["+1 month after 2026-09-28 = 2026-10-28 (the same day of the month, 民法典 第二百零二条)"],
     ["计算：2026年9月28日当日不计，1个月后为2026年10月28日（星期三）（同月同日，民法典第二百零二条），"
      "应于当日24时（2026-10-29T00:00:00+08:00）前报告"]),
]


def note_of(out, obligation):
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if obligation in line and i + 1 < len(lines):
            return lines[i + 1]
    return ""


def main():
    exe = sys.argv[1]
    plan = json.load(open("data/plans/yuzhong.json", encoding="utf-8"))
    rule = next(o for o in plan["obligations"]["items"] if o["id"] == "yz-5.2-summary")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for deadline, en_wants, zh_wants in CASES:
            rule["deadline"] = deadline
            path = os.path.join(tmp, "plan.json")
            json.dump(plan, open(path, "w", encoding="utf-8"), ensure_ascii=False)
            for lang, wants in (("en", en_wants), ("zh", zh_wants)):
                p = subprocess.run([exe, "deadlines", "--lang", lang, "--plan", path, TIMELINE],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
                note = note_of(p.stdout.decode("utf-8"), "yz-5.2-summary")
                problems = [f"exit code {p.returncode}"] if p.returncode != 0 else []
                problems += [f"the note lacks {w!r}" for w in wants if w not in note]
                name = f"{deadline} --lang {lang}"
                if problems:
                    failures += 1
                    print(f"FAIL {name}: " + "; ".join(problems) + f"\n  note: {note}\n  stderr: {p.stderr.decode('utf-8')[:500]}")
                else:
                    print(f"ok   {name}")
    print(f"{2 * len(CASES) - failures} of {2 * len(CASES)} note checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
