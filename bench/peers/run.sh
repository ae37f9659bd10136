#!/usr/bin/env bash
# vigil side by side with its peers, on one seeded data set; see bench/README.md.
#
#   bench/peers/run.sh [ROWS] [E2E_MB]
#     ROWS    clusters in the in-memory comparison (default 1000000)
#     E2E_MB  size of the CSV for the end-to-end run, vigil classify vs DuckDB (default 1024; 0 skips it;
#             DuckDB twice: writing id and grade, and writing vigil's six columns, compared byte for byte);
#             the same size of JSON Lines (vigil vs DuckDB's read_json) and of CSV with every modifier
#             column (vigil, against the plain CSV run again between its runs), each answer checked;
#             peak resident memory of every vigil run (/usr/bin/time -v). Each timed run starts after
#             `sync`: none is slowed by writing back the output of the one before
#   Environment: PLAN (default yuzhong: data/plans/$PLAN.json, or a path), SLOW_ROWS (rows for the
#   slow peers zen-engine, json-rules-engine; default 100000), CLIPS_ROWS (default 1000000),
#   DETECT_REPORTS (case reports for vigil detect vs DuckDB, detect_duckdb.js; default 200000, 0 skips it),
#   RUNS (timed runs of each end-to-end command, the best of them reported; default 3: on a virtual
#   machine the first of them often took up to 2.5 times the second, vigil's and DuckDB's alike),
#   VIGIL_BUILD (a Release build of vigil to use instead of building one under work/), THREADS (each
#   end-to-end run, CSV, JSON Lines and modifier columns, is also made with `vigil classify
#   --threads THREADS`, its output compared byte for byte with one thread's; default 2, 0 skips it).
#
# Installs what is missing: Debian packages clips, libclips-dev, sqlite3, libsqlite3-dev (as root or
# with sudo) and the npm packages of package-lock.json into bench/peers/node_modules. Everything it
# builds or writes goes under bench/peers/work/ (ignored by git). Exits 1 when a peer disagrees
# with vigil on any row.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
rows="${1:-1000000}"
e2e_mb="${2:-1024}"
slow_rows="${SLOW_ROWS:-100000}"
clips_rows="${CLIPS_ROWS:-1000000}"
detect_reports="${DETECT_REPORTS:-200000}"
runs="${RUNS:-3}"
plan="${PLAN:-yuzhong}"
[[ -f "$plan" ]] || plan="$root/data/plans/$plan.json"
[[ -f "$plan" ]] || { echo "run.sh: no plan file $plan" >&2; exit 2; }
mkdir -p "$work/out"
min() { if (($1 < $2)); then echo "$1"; else echo "$2"; fi; }
step() { printf '\n== %s\n' "$*" >&2; }
# before each timed end-to-end run (vigil's and DuckDB's alike): the output of the run before
# written back to disk, so that no run is slowed by writing back another's 1-2 GB of output
settle() { sync; }
# one timed run of `vigil classify --plan PLAN ARGS… DATA > OUT` after settle: its wall seconds on stdout
time_vigil() {
  local out="$1" t0 t1; shift
  rm -f "$out"
  settle
  t0=$(date +%s.%N)
  "$VIGIL_BUILD/vigil" classify --plan "$plan" "$@" >"$out"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# ------------------------------------------------------------------ peers
missing=()
for p in clips libclips-dev sqlite3 libsqlite3-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}" ||
    { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; }
fi
if [[ ! -d "$here/node_modules" || "$here/package-lock.json" -nt "$here/node_modules" ]]; then
  step "npm install (zen-engine, json-rules-engine, DuckDB: the versions of package-lock.json)"
  # not `npm ci`: the lock lists this platform's native packages only, which `npm ci` refuses
  (cd "$here" && npm install --no-audit --no-fund --no-save >&2 && touch node_modules)
fi

step "building vigil (Release) and the C drivers"
if [[ -z "${VIGIL_BUILD:-}" ]]; then
  VIGIL_BUILD="$work/build"
  cmake -S "$root" -B "$VIGIL_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIL_BUILD_TESTS=OFF >/dev/null
  cmake --build "$VIGIL_BUILD" -j2 --target vigil_peer vigil_cli vigil_gen_reports >&2
fi
cc -O2 -o "$work/clips_peer" "$here/clips_peer.c" /usr/lib/libclips.a -lm
cc -O2 -o "$work/sqlite_peer" "$here/sqlite_peer.c" -lsqlite3

step "data: $rows clusters, rules from $(basename "$plan")"
node "$here/gen.js" "$work/data.csv" "$rows"
node "$here/plan_rules.js" "$plan" "$work/rules" >&2

results="$work/out/results.jsonl"
: >"$results"
run() {  # NAME GRADES-FILE COMMAND...: append the driver's JSON lines, tagged with the grades file
  local name="$1" grades="$2"; shift 2
  step "$name"
  "$@" | while read -r line; do
    echo "$line" >&2
    if [[ -n "$grades" ]]; then echo "${line%\}},\"grades\":\"$grades\"}"; else echo "$line"; fi
  done >>"$results"
  grades=""
}
# vigil: the first line (single-threaded batch) is the reference; its grades file is written once
step "vigil"
"$VIGIL_BUILD/bench/vigil_peer" "$work/data.csv" "$work/out/vigil.grades" "$plan" | {
  read -r first; echo "$first" >&2; echo "${first%\}},\"grades\":\"$work/out/vigil.grades\",\"reference\":true}"
  while read -r line; do echo "$line" >&2; echo "$line"; done
} >>"$results"
run duckdb "$work/out/duckdb.grades" node "$here/duckdb.js" classify "$work/data.csv" "$work/out/duckdb.grades" "$plan"
run sqlite "$work/out/sqlite.grades" "$work/sqlite_peer" "$work/data.csv" "$work/rules/rules_sqlite.sql" "$work/out/sqlite.grades"
run clips "$work/out/clips.grades" "$work/clips_peer" "$work/data.csv" "$work/rules/rules.clp" "$work/out/clips.grades" "$(min "$rows" "$clips_rows")"
run zen-engine "$work/out/zen.grades" node "$here/zen.js" "$work/data.csv" "$work/out/zen.grades" "$plan" "$(min "$rows" "$slow_rows")"
run json-rules-engine "$work/out/jre.grades" node "$here/jre.js" "$work/data.csv" "$work/out/jre.grades" "$plan" "$(min "$rows" "$slow_rows")"

step "side by side (in memory; each peer checked row by row against vigil)"
status=0
{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start of the table"
  node "$here/report.js" "$results"
} | tee "$work/out/table.md" || status=1

if ((e2e_mb > 0)); then
  e2e_rows=$((e2e_mb * 1024 * 1024 / 36))  # gen.js writes ~36 bytes a row
  step "end to end: a ${e2e_mb} MB CSV ($e2e_rows clusters), CSV in, CSV out"
  [[ -f "$work/e2e.csv" && "$(cat "$work/e2e.rows" 2>/dev/null)" == "$e2e_rows" ]] ||
    { node "$here/gen.js" "$work/e2e.csv" "$e2e_rows" && echo "$e2e_rows" >"$work/e2e.rows"; }
  bytes=$(stat -L -c %s "$work/e2e.csv")
  cat "$work/e2e.csv" >/dev/null  # both start from the page cache
  # best of $runs runs each, every run writing a fresh file
  vsecs="" dsecs="" dfsecs=""
  for run_no in $(seq "$runs"); do
    v=$(time_vigil "$work/out/e2e_vigil.csv" "$work/e2e.csv")
    rm -f "$work/out/e2e_duckdb.csv"
    settle
    duck=$(node "$here/duckdb.js" e2e "$work/e2e.csv" "$work/out/e2e_duckdb.csv" "$plan")
    d=$(echo "$duck" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
    dthreads=$(echo "$duck" | sed 's/.*"threads":\([0-9]*\).*/\1/')
    # DuckDB writing vigil's whole answer (id, grade, grade_zh, reasons, warning, response)
    rm -f "$work/out/e2e_duckdb_full.csv"
    settle
    duck=$(node "$here/duckdb.js" e2e "$work/e2e.csv" "$work/out/e2e_duckdb_full.csv" "$plan" full)
    df=$(echo "$duck" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
    echo "run $run_no: vigil $v s, DuckDB $d s (id, grade), $df s (the whole answer)" >&2
    vsecs=$(awk -v a="$v" -v b="${vsecs:-1e9}" 'BEGIN { print (a < b ? a : b) }')
    dsecs=$(awk -v a="$d" -v b="${dsecs:-1e9}" 'BEGIN { print (a < b ? a : b) }')
    dfsecs=$(awk -v a="$df" -v b="${dfsecs:-1e9}" 'BEGIN { print (a < b ? a : b) }')
  done
  node "$here/compare_csv.js" "$work/out/e2e_vigil.csv" "$work/out/e2e_duckdb.csv" || status=1
  if cmp -s "$work/out/e2e_vigil.csv" "$work/out/e2e_duckdb_full.csv"; then
    echo "end to end: vigil's CSV and DuckDB's whole answer are the same bytes" >&2
  else
    echo "FAIL: vigil's CSV and DuckDB's whole answer differ" >&2; status=1
  fi
  # peak resident memory: one more vigil run under /usr/bin/time -v
  rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): *//p'; }
  vrss=$(rss "$VIGIL_BUILD/vigil" classify --plan "$plan" "$work/e2e.csv")
  threads="${THREADS:-2}" tsecs=""
  # vigil classify --threads THREADS on DATA: best of $runs (seconds on stdout), its output OUT the
  # same bytes as one thread's ONE
  threads_best() {
    local data="$1" out="$2" one="$3" best="" v
    for run_no in $(seq "$runs"); do
      v=$(time_vigil "$out" --threads "$threads" "$data")
      echo "run $run_no: vigil --threads $threads $v s" >&2
      best=$(awk -v a="$v" -v b="${best:-1e9}" 'BEGIN { print (a < b ? a : b) }')
    done
    cmp -s "$one" "$out" || { echo "FAIL: vigil --threads $threads wrote other bytes than one thread ($data)" >&2; return 1; }
    echo "$best"
  }
  if ((threads > 0)); then
    tsecs=$(threads_best "$work/e2e.csv" "$work/out/e2e_vigil_threads.csv" "$work/out/e2e_vigil.csv") || status=1
    trss=$(rss "$VIGIL_BUILD/vigil" classify --plan "$plan" --threads "$threads" "$work/e2e.csv")
  fi
  {
    echo
    echo "| end to end ($((bytes / 1000000)) MB of CSV, $e2e_rows rows; best of $runs) | seconds | MB/s | rows/s | peak RSS | vigil ÷ it |"
    echo "| --- | --- | --- | --- | --- | --- |"
    awk -v s="$vsecs" -v b="$bytes" -v n="$e2e_rows" -v m="$vrss" 'BEGIN { printf "| vigil classify (1 thread): id, grade, 等级, reasons, warning, response | %.2f | %.0f | %.2f M | %.0f MB | 1 |\n", s, b/s/1e6, n/s/1e6, m/1024 }'
    awk -v s="$dsecs" -v b="$bytes" -v n="$e2e_rows" -v v="$vsecs" -v t="$dthreads" 'BEGIN { printf "| DuckDB read_csv + CASE + COPY (%d threads): id, grade | %.2f | %.0f | %.2f M | | %.2f× |\n", t, s, b/s/1e6, n/s/1e6, s/v }'
    awk -v s="$dfsecs" -v b="$bytes" -v n="$e2e_rows" -v v="$vsecs" -v t="$dthreads" 'BEGIN { printf "| DuckDB read_csv + CASE + COPY (%d threads): vigil'"'"'s six columns, the same bytes | %.2f | %.0f | %.2f M | | %.2f× |\n", t, s, b/s/1e6, n/s/1e6, s/v }'
    if [[ -n "$tsecs" ]]; then
      awk -v s="$tsecs" -v b="$bytes" -v n="$e2e_rows" -v m="$trss" -v t="$threads" -v d="$dsecs" -v f="$dfsecs" -v v="$vsecs" 'BEGIN { printf "| vigil classify --threads %d (the same bytes; %.2f× one thread) | %.2f | %.0f | %.2f M | %.0f MB | DuckDB ÷ it: %.2f× (id, grade), %.2f× (six columns) |\n", t, v/s, s, b/s/1e6, n/s/1e6, m/1024, d/s, f/s }'
    fi
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee -a "$work/out/table.md"

  # the same size of JSON Lines, and of CSV with every modifier column (built-in plans' modifiers;
  # override columns blank), each answered end to end; best of $runs
  for form in jsonl modifiers; do
    ext=$([[ $form == jsonl ]] && echo jsonl || echo csv)
    per_row=$([[ $form == jsonl ]] && echo 213 || echo 69)  # gen.js: bytes a row in this form
    f_rows=$((e2e_mb * 1024 * 1024 / per_row))
    f_data="$work/e2e_$form.$ext"
    step "end to end: ${e2e_mb} MB of $form ($f_rows clusters), to CSV"
    [[ -f "$f_data" && "$(cat "$work/e2e_$form.rows" 2>/dev/null)" == "$f_rows" ]] ||
      { node "$here/gen.js" "$f_data" "$f_rows" 20261123 "$form" && echo "$f_rows" >"$work/e2e_$form.rows"; }
    f_bytes=$(stat -L -c %s "$f_data")
    cat "$f_data" >/dev/null
    fv="" fd="" ffd="" pv=""
    for run_no in $(seq "$runs"); do
      v=$(time_vigil "$work/out/e2e_vigil_$form.csv" "$f_data")
      fv=$(awk -v a="$v" -v b="${fv:-1e9}" 'BEGIN { print (a < b ? a : b) }')
      if [[ $form == jsonl ]]; then
        rm -f "$work/out/e2e_duckdb_json.csv"
        settle
        duck=$(node "$here/duckdb.js" e2e-json "$f_data" "$work/out/e2e_duckdb_json.csv" "$plan")
        d=$(echo "$duck" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
        fd=$(awk -v a="$d" -v b="${fd:-1e9}" 'BEGIN { print (a < b ? a : b) }')
        rm -f "$work/out/e2e_duckdb_json_full.csv"
        settle
        duck=$(node "$here/duckdb.js" e2e-json "$f_data" "$work/out/e2e_duckdb_json_full.csv" "$plan" full)
        df=$(echo "$duck" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
        ffd=$(awk -v a="$df" -v b="${ffd:-1e9}" 'BEGIN { print (a < b ? a : b) }')
        echo "run $run_no: vigil $v s, DuckDB read_json $d s (id, grade), $df s (the whole answer)" >&2
      else
        # the plain CSV again, between the modifier runs: the two measured in the same minutes
        p=$(time_vigil "$work/out/e2e_vigil_again.csv" "$work/e2e.csv")
        pv=$(awk -v a="$p" -v b="${pv:-1e9}" 'BEGIN { print (a < b ? a : b) }')
        echo "run $run_no: vigil, the plain CSV between: $p s" >&2
        rm -f "$work/out/e2e_duckdb_mod_full.csv"
        settle
        duck=$(node "$here/duckdb.js" e2e "$f_data" "$work/out/e2e_duckdb_mod_full.csv" "$plan" full)
        df=$(echo "$duck" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
        ffd=$(awk -v a="$df" -v b="${ffd:-1e9}" 'BEGIN { print (a < b ? a : b) }')
        echo "run $run_no: vigil $v s, DuckDB $df s (the whole answer)" >&2
      fi
    done
    ftv=""
    if ((threads > 0)); then
      ftv=$(threads_best "$f_data" "$work/out/e2e_vigil_${form}_threads.csv" "$work/out/e2e_vigil_$form.csv") || status=1
    fi
    # a row of the table for the --threads run (when made): DuckDB's times divided by it
    threads_row() {
      [[ -n "$ftv" ]] || return 0
      awk -v s="$ftv" -v b="$f_bytes" -v n="$f_rows" -v t="$threads" -v v="$fv" -v d="${fd:-0}" -v f="$ffd" 'BEGIN {
        printf "| vigil classify --threads %d (the same bytes; %.2f× one thread) | %.2f | %.0f | %.2f M | | DuckDB ÷ it: ", t, v/s, s, b/s/1e6, n/s/1e6
        if (d > 0) printf "%.2f× (id, grade), ", d/s
        printf "%.2f× (six columns) |\n", f/s }'
    }
    frss=$(rss "$VIGIL_BUILD/vigil" classify --plan "$plan" "$f_data")
    if [[ $form == jsonl ]]; then
      node "$here/compare_csv.js" "$work/out/e2e_vigil_jsonl.csv" "$work/out/e2e_duckdb_json.csv" || status=1
      cmp -s "$work/out/e2e_vigil_jsonl.csv" "$work/out/e2e_duckdb_json_full.csv" ||
        { echo "FAIL: vigil's CSV of the JSON Lines and DuckDB's whole answer differ" >&2; status=1; }
      {
        echo
        echo "| end to end ($((f_bytes / 1000000)) MB of JSON Lines, $f_rows rows; best of $runs) | seconds | MB/s | rows/s | peak RSS | vigil ÷ it |"
        echo "| --- | --- | --- | --- | --- | --- |"
        awk -v s="$fv" -v b="$f_bytes" -v n="$f_rows" -v m="$frss" 'BEGIN { printf "| vigil classify (1 thread), JSON Lines to CSV | %.2f | %.0f | %.2f M | %.0f MB | 1 |\n", s, b/s/1e6, n/s/1e6, m/1024 }'
        awk -v s="$fd" -v b="$f_bytes" -v n="$f_rows" -v v="$fv" -v t="$dthreads" 'BEGIN { printf "| DuckDB read_json + CASE + COPY (%d threads): id, grade | %.2f | %.0f | %.2f M | | %.2f× |\n", t, s, b/s/1e6, n/s/1e6, s/v }'
        awk -v s="$ffd" -v b="$f_bytes" -v n="$f_rows" -v v="$fv" -v t="$dthreads" 'BEGIN { printf "| DuckDB read_json + CASE + COPY (%d threads): vigil'"'"'s six columns, the same bytes | %.2f | %.0f | %.2f M | | %.2f× |\n", t, s, b/s/1e6, n/s/1e6, s/v }'
        threads_row
      } | tee -a "$work/out/table.md"
    else
      # the same seed: these clusters are the first f_rows of the plain CSV; DuckDB's grades for them
      awk -F, -v n="$f_rows" 'NR == 1 || $1 < n' "$work/out/e2e_duckdb.csv" >"$work/out/e2e_duckdb_mod.csv"
      node "$here/compare_csv.js" "$work/out/e2e_vigil_modifiers.csv" "$work/out/e2e_duckdb_mod.csv" || status=1
      cmp -s "$work/out/e2e_vigil_modifiers.csv" "$work/out/e2e_duckdb_mod_full.csv" ||
        { echo "FAIL: vigil's CSV of the modifier rows and DuckDB's whole answer differ" >&2; status=1; }
      {
        echo
        echo "| end to end ($((f_bytes / 1000000)) MB of CSV with every modifier column, $f_rows rows; best of $runs) | seconds | MB/s | rows/s | peak RSS | ÷ plain CSV (rows/s; the plain CSV run between them, best of $runs: $pv s) |"
        echo "| --- | --- | --- | --- | --- | --- |"
        awk -v s="$fv" -v b="$f_bytes" -v n="$f_rows" -v m="$frss" -v ps="$pv" -v pn="$e2e_rows" 'BEGIN { printf "| vigil classify (1 thread), modifiers and override columns | %.2f | %.0f | %.2f M | %.0f MB | %.2f× |\n", s, b/s/1e6, n/s/1e6, m/1024, (n/s)/(pn/ps) }'
        awk -v s="$ffd" -v b="$f_bytes" -v n="$f_rows" -v v="$fv" -v t="$dthreads" 'BEGIN { printf "| DuckDB read_csv + CASE + COPY (%d threads): vigil'"'"'s six columns, the same bytes | %.2f | %.0f | %.2f M | | vigil ÷ it: %.2f× |\n", t, s, b/s/1e6, n/s/1e6, s/v }'
        threads_row
      } | tee -a "$work/out/table.md"
    fi
  done
fi
if ((detect_reports > 0)); then
  step "detect: $detect_reports case reports (vigil_gen_reports), vigil detect vs DuckDB, plan $(basename "$plan")"
  "$VIGIL_BUILD/bench/vigil_gen_reports" "$detect_reports" >"$work/reports.csv"
  cat "$work/reports.csv" >/dev/null
  t0=$(date +%s.%N)
  "$VIGIL_BUILD/vigil" detect --plan "$plan" "$work/reports.csv" >"$work/out/detect_vigil.jsonl"
  t1=$(date +%s.%N)
  v=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  duck=$(node "$here/detect_duckdb.js" "$work/reports.csv" "$plan" "$work/out/detect_vigil.jsonl") || status=1
  echo "$duck" >&2
  d=$(echo "$duck" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
  n=$(echo "$duck" | sed 's/.*"reports":\([0-9]*\).*/\1/')
  mism=$(echo "$duck" | sed 's/.*"mismatches":\([0-9]*\).*/\1/')
  {
    echo
    echo "| detect ($n case reports, CSV in; answers checked: $mism mismatches) | seconds | reports/s | vigil ÷ it |"
    echo "| --- | --- | --- | --- |"
    awk -v s="$v" -v n="$n" 'BEGIN { printf "| vigil detect (1 thread): every level, first crossings, spread | %.2f | %.0f k | 1 |\n", s, n/s/1e3 }'
    awk -v s="$d" -v n="$n" -v v="$v" 'BEGIN { printf "| DuckDB read_csv + windows by self-join + CASE (final state only) | %.2f | %.0f k | %.2f× |\n", s, n/s/1e3, s/v }'
  } | tee -a "$work/out/table.md"
fi
exit $status
