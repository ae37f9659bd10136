#!/usr/bin/env bash
# Walk one incident from the first warning to closing under a plan, with the vigil command.
#   examples/lifecycle/walk.sh yuzhong [path/to/vigil] [LOG]
# Each NN_*.json is an event applied in order (NN_*.jsonl: several events, one a line, in time
# order); a file named *refused* is an event the plan's lifecycle must refuse (the script fails if
# it is accepted). At the end: show and verify.
# The log it writes is the incident's history for vigil deadlines / vigil audit, with no timeline
# written by hand (tests/data/obligations/lifecycle-PLAN.jsonl): every report the plan requires is
# recorded as it is made, and the audit of the log is clean (tests/cli/walk_audit.py).
set -euo pipefail
export LC_COLLATE=C  # 03_assess before 03a_…: the files' order is the byte order of their names
plan="${1:?usage: walk.sh PLAN [VIGIL] [LOG]}"
vigil="${2:-vigil}"
here="$(cd "$(dirname "$0")" && pwd)"
log="${3:-$(mktemp -d)/$plan-incident.jsonl}"
case "$plan" in
  yuzhong) opener="区市场监管局/局长"; id="YZ-2026-001"; opened="2026-03-02T10:00:00+08:00"; occurred="2026-03-02T08:40:00+08:00" ;;
  guiyang) opener="事发地县级人民政府"; id="GY-2026-007"; opened="2026-05-11T09:10:00+08:00"; occurred="2026-05-11T09:05:00+08:00" ;;
  *) echo "walk.sh: no example walk for plan $plan" >&2; exit 2 ;;
esac
# The log is opened on receipt of the first information (接报), which says when the incident occurred (事发).
"$vigil" incident new --plan "$plan" --actor "$opener" --id "$id" --time "$opened" --occurred "$occurred" "$log"
for event in "$here/$plan"/[0-9]*.json*; do
  echo "== $(basename "$event")"
  if [[ "$event" == *.jsonl ]]; then
    while IFS= read -r line; do
      if [[ -n "$line" ]]; then printf '%s\n' "$line" | "$vigil" incident apply "$log" -; fi
    done < "$event"
  elif [[ "$event" == *refused* ]]; then
    if "$vigil" incident apply "$log" "$event"; then
      echo "walk.sh: $(basename "$event") was accepted; the plan says it must be refused" >&2
      exit 1
    fi
    echo "(refused, as the plan requires; the log is unchanged)"
  else
    "$vigil" incident apply "$log" "$event"
  fi
done
echo "== show"
"$vigil" incident show "$log"
echo "== verify"
"$vigil" incident verify "$log"
