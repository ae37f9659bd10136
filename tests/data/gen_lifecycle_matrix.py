#!/usr/bin/env python3
"""Generate the lifecycle matrix of a plan from its transition table (data/plans/PLAN.json).

This is the test oracle, written apart from the engine: it reads the rows and states the outcome
of every event variant, in every reachable context, for every actor of the organisation.

A context is (state, grade, warning, response). An event variant is an event with one canonical
payload: each level of a row's level_in, each colour of its colour_in, each grade for set_grade;
fields named by payload_has, a complete checklist, and the endorsements of every row of the event.

Output: tests/data/lifecycle_variants_PLAN.csv (variant,event,payload) and
tests/data/lifecycle_matrix_PLAN.csv, one line per (context, variant):
  state,grade,warning,response,variant,outcome,allowed
outcome: allowed | no_transition | guard | authority | final
allowed: for `allowed`, the actors that may fire it, "actor>row>state/grade/warning/response" joined
         by " ; "; every other actor of the organisation is refused for authority.

Usage: gen_lifecycle_matrix.py PLAN [--check]   (--check: compare with the file, do not write)
"""
import csv
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GRADES = ["none", "IV", "III", "II", "I"]


def actors(org):
    out = []
    for u in org["units"]:
        roles = u.get("roles", [])
        if not roles:
            out.append((u["id"], ""))
        for r in roles:
            out.append((u["id"], r))
    return out


def pattern(s):
    unit, _, role = s.partition("/")
    return unit, role


def matches(pat, actor):
    unit, role = pattern(pat)
    return actor[0] == unit and (role == "" or actor[1] == role)


def actor_text(a):
    return a[0] + ("/" + a[1] if a[1] else "")


def froms(row):
    f = row["from"]
    return f if isinstance(f, list) else [f]


def variants(plan):
    lc = plan["lifecycle"]
    checklists = {c["id"]: c for c in lc.get("checklists", [])}
    out = []
    seen = set()
    for row in lc["transitions"]:
        ev = row["event"]
        g = row.get("guards", {})
        endorse = []
        for r2 in lc["transitions"]:
            if r2["event"] != ev:
                continue
            for e in r2.get("endorsements", []):
                unit, role = pattern(e["any"][0])
                item = {"as": e["as"], "unit": unit, "role": role, "ref": "doc-" + e["as"]}
                if item not in endorse:
                    endorse.append(item)
        base = {}
        for f in g.get("payload_has", []):
            base[f] = "ref-" + f
        if "checklist" in g:
            base["checklist"] = {i["id"]: {"met": True, "evidence": "ev-" + i["id"]} for i in checklists[g["checklist"]]["items"]}
        if endorse:
            base["endorsements"] = endorse
        choices = [dict(base)]
        if "level_in" in g:
            choices = [dict(base, level=l) for l in g["level_in"]]
        elif "set_response" in row.get("actions", []) or "level_vs_current" in g:
            choices = [dict(base, level=l["level"]) for l in plan["responses"]["levels"]]
        if "colour_in" in g:
            choices = [dict(c, colour=col) for c in choices for col in g["colour_in"]]
        if "set_grade" in row.get("actions", []):
            choices = [dict(c, grade=gr) for c in choices for gr in GRADES]
        for c in choices:
            key = (ev, json.dumps(c, sort_keys=True, ensure_ascii=False))
            if key not in seen:
                seen.add(key)
                out.append((ev, c))
    return out


def guard_fails(g, args, ctx, payload, plan):
    state, grade, warning, response = ctx
    if g == "level_in":
        return payload.get("level") not in args
    if g == "level_vs_current":
        lv = payload.get("level")
        if lv is None or response == 0:
            return True
        return not (lv < response) if args == "higher" else not (lv > response)
    if g == "colour_in":
        return payload.get("colour") not in args
    if g == "current_in":
        return response not in args
    if g == "warning_active":
        return (warning != "none") != args
    if g == "warning_in":
        return warning not in args
    if g == "grade_in":
        return grade not in args
    if g == "payload_has":
        return any(not isinstance(payload.get(f), str) or not payload.get(f) for f in args)
    if g == "checklist":
        items = next(c for c in plan["lifecycle"]["checklists"] if c["id"] == args)["items"]
        cl = payload.get("checklist", {})
        return any(not (cl.get(i["id"], {}).get("met") is True and cl.get(i["id"], {}).get("evidence")) for i in items)
    raise SystemExit("unknown guard " + g)


def actions_fail(row, payload, plan):
    for a in row.get("actions", []):
        if a == "set_grade" and payload.get("grade") not in GRADES:
            return True
        if a == "set_warning" and payload.get("colour") not in [l["colour"] for l in plan["warnings"]["levels"]]:
            return True
        if a == "set_response" and payload.get("level") not in [l["level"] for l in plan["responses"]["levels"]]:
            return True
    return False


def endorsed(row, payload):
    given = payload.get("endorsements", [])
    for need in row.get("endorsements", []):
        if not any(e["as"] == need["as"] and e.get("ref") and any(matches(p, (e["unit"], e.get("role", ""))) for p in need["any"])
                   for e in given):
            return False
    return True


def fire(row, ctx, payload):
    state, grade, warning, response = ctx
    for a in row.get("actions", []):
        if a == "set_grade":
            grade = payload["grade"]
        elif a == "set_warning":
            warning = payload["colour"]
        elif a == "clear_warning":
            warning = "none"
        elif a == "set_response":
            response = payload["level"]
        elif a == "clear_response":
            response = 0
    return (row.get("to", state), grade, warning, response)


def outcome(plan, ctx, ev, payload, acts):
    lc = plan["lifecycle"]
    final = {s["id"] for s in lc["states"] if s.get("final")}
    if ctx[0] in final:
        return "final", {}
    cands = [(i, r) for i, r in enumerate(lc["transitions"]) if r["event"] == ev and (ctx[0] in froms(r) or "*" in froms(r))]
    if not cands:
        return "no_transition", {}
    passing = [(i, r) for i, r in cands
               if not any(guard_fails(g, a, ctx, payload, plan) for g, a in r.get("guards", {}).items())
               and not actions_fail(r, payload, plan)]
    if not passing:
        return "guard", {}
    allowed = {}
    for a in acts:
        for i, r in passing:
            if any(matches(p, a) for p in r["by"]) and endorsed(r, payload):
                allowed[a] = (i, fire(r, ctx, payload))  # the first row the actor may fire
                break
    return ("allowed" if allowed else "authority"), allowed


def matrix(plan):
    acts = actors(plan["organisation"])
    vs = variants(plan)
    start = (plan["lifecycle"]["initial"], "none", "none", 0)
    todo, seen, lines = [start], {start}, []
    while todo:
        ctx = todo.pop(0)
        for ev, payload in vs:
            out, allowed = outcome(plan, ctx, ev, payload, acts)
            cells = []
            for a, (i, nxt) in allowed.items():
                cells.append("%s>%d>%s/%s/%s/%d" % (actor_text(a), i, *nxt))
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
            lines.append([ctx[0], ctx[1], ctx[2], str(ctx[3]), "v%d" % vs.index((ev, payload)), out, " ; ".join(cells)])
    return vs, lines


def main():
    plan_id = sys.argv[1]
    plan = json.load(open(os.path.join(ROOT, "data", "plans", plan_id + ".json"), encoding="utf-8"))
    vs, lines = matrix(plan)
    files = {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["variant", "event", "payload"])
    for i, (ev, payload) in enumerate(vs):
        w.writerow(["v%d" % i, ev, json.dumps(payload, ensure_ascii=False, sort_keys=True)])
    files["lifecycle_variants_%s.csv" % plan_id] = buf.getvalue()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["state", "grade", "warning", "response", "variant", "outcome", "allowed"])
    for line in lines:
        w.writerow(line)
    files["lifecycle_matrix_%s.csv" % plan_id] = buf.getvalue()
    rc = 0
    for name, text in files.items():
        path = os.path.join(HERE, name)
        if "--check" in sys.argv:
            same = os.path.exists(path) and open(path, encoding="utf-8").read() == text
            print(("up to date: " if same else "OUT OF DATE: ") + path)
            rc |= 0 if same else 1
        else:
            open(path, "w", encoding="utf-8").write(text)
            print("wrote", path)
    return rc


if __name__ == "__main__":
    sys.exit(main())
