#!/usr/bin/env bash
# Walk one incident from the first warning to closing under a plan, with the vigil command.
#   examples/lifecycle/walk.sh yuzhong [path/to/vigil] [LOG]
# Each NN_*.json is an event applied in order; a file named *refused* is an event the plan's
# lifecycle must refuse (the script fails if it is accepted). At the end: show and verify.
# The log it writes is a timeline for vigil deadlines / vigil audit (tests/data/obligations/lifecycle-PLAN.jsonl).
set -euo pipefail
plan="${1:?usage: walk.sh PLAN [VIGIL] [LOG]}"
vigil="${2:-vigil}"
here="$(cd "$(dirname "$0")" && pwd)"
log="${3:-$(mktemp -d)/$plan-incident.jsonl}"
case "$plan" in
  yuzhong) opener="区市场监管局/局长"; id="YZ-2026-001"; opened="2026-03-02T10:00:00+08:00"; occurred="2026-03-02T08:40:00+08:00" ;;
  guiyang) opener="市指挥部办公室/主任"; id="GY-2026-007"; opened="2026-05-11T09:30:00+08:00"; occurred="2026-05-11T09:05:00+08:00" ;;
  *) echo "walk.sh: no example walk for plan $plan" >&2; exit 2 ;;
esac
# The log is opened on receipt of the first information (接报), which says when the incident occurred (事发).
"$vigil" incident new --plan "$plan" --actor "$opener" --id "$id" --time "$opened" --occurred "$occurred" "$log"
for event in "$here/$plan"/[0-9]*.json; do
  echo "== $(basename "$event")"
  if [[ "$event" == *refused* ]]; then
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
