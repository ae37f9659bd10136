// DuckDB beside `vigil detect`: the same clusters from the same case reports, in SQL, and the
// answers checked equal.
//
//   node detect_duckdb.js REPORTS.csv PLAN.json VIGIL_CLUSTERS.jsonl
//
// The SQL is written from the plan's "detection" and "grading" sections (nothing here knows a
// threshold or a fact's definition): reports deduplicated by report_id (the first kept); each report
// at every level its GB/T 2260 code reaches; a window [onset, onset + window) anchored at every
// report's onset in each (product key, batch, area); per window the distinct patients, their
// reports' fields OR-ed, counted as each detection fact says (its "any", "none", "scope" and
// "at_least"); graded by the plan's CASE (plan_rules.js) with the spread facts 0. This is the final
// state (every report in): the replay by receipt (first crossings) and the spread roll-up are
// vigil's alone, so the check is on what both compute:
//   1. every cluster vigil answers: the facts of its window (product key, batch, area, window_from)
//      are DuckDB's for that window, and, when no spread fact counted for it, its grade is DuckDB's
//      highest grade over the cluster's windows;
//   2. every cluster DuckDB grades is among vigil's, at a grade at least as high.
// Prints one JSON line of figures; exits 1 on any disagreement.
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');
const { loadPlan, sqlCase, FACTS } = require('./plan_rules');
const { now, report } = require('./data');

const FLAGS = ['rare', 'death', 'life_threatening', 'disability', 'organ_damage', 'hospitalisation', 'congenital_anomaly', 'other_serious'];
const q = (s) => `'${s.replace(/'/g, "''")}'`;

(async () => {
  const [reportsPath, planPath, vigilPath] = process.argv.slice(2);
  const planJson = JSON.parse(fs.readFileSync(planPath, 'utf8'));
  const det = planJson.detection;
  if (!det) throw new Error(`${planPath}: no detection section`);
  if ((det.product_key || ['product_kind', 'product_id']).join() !== 'product_kind,product_id') throw new Error('only the default product key is written here');
  if (det.batch && det.batch.match !== 'exact') throw new Error('only the exact batch rule is written here');
  const windowSql = det.window.days ? `INTERVAL ${det.window.days} DAY` : `INTERVAL ${det.window.hours} HOUR`;
  const rules = sqlCase(loadPlan(planPath), false);

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const threads = Number((await (await con.run("SELECT current_setting('threads')")).getRows())[0][0]);
  const version = (await (await con.run('SELECT version()')).getRows())[0][0];
  const types = `{'report_id': 'VARCHAR', 'patient_id': 'VARCHAR', 'product_kind': 'VARCHAR', 'product_id': 'VARCHAR', 'product_name': 'VARCHAR',
    'batch': 'VARCHAR', 'onset_time': 'TIMESTAMPTZ', 'received_time': 'TIMESTAMPTZ', 'area_code': 'VARCHAR',
    ${FLAGS.map((f) => `'${f}': 'INTEGER'`).join(', ')}}`;
  const orFlags = FLAGS.map((f) => `bool_or(e.${f} = 1) AS ${f}`).join(', ');
  const cond = (mask) => (mask || []).join(' OR ');
  const filterOf = (f) => {
    const any = cond(f.patients.any), none = cond(f.patients.none);
    return [any ? `(${any})` : 'true', none ? `NOT (${none})` : 'true'].join(' AND ');
  };
  // per window: each fact counted over its scope's patients (wp: the cluster's, pp: the product's)
  const countCol = (f, k) => `count(*) FILTER (WHERE ${filterOf(f)}) AS f${k}`;
  const ownFacts = det.facts.map((f, k) => ({ f, k })).filter(({ f }) => f.scope !== 'product');
  const prodFacts = det.facts.map((f, k) => ({ f, k })).filter(({ f }) => f.scope === 'product');
  const factCols = det.facts.map((f, k) => {
    const v = `coalesce(${f.scope === 'product' ? 'pf' : 'wf'}.f${k}, 0)`;
    const boolean = planJson.facts.find((d) => d.name === f.fact).kind === 'boolean';
    return boolean ? `${v} >= ${f.at_least || 1} AS ${f.fact}` : `${v}::UINTEGER AS ${f.fact}`;
  });
  const counted = new Set(det.facts.map((f) => f.fact));
  const zero = FACTS.filter((f) => !counted.has(f)).map((f) => (f === 'similar_cases_nearby' ? `false AS ${f}` : `0 AS ${f}`));
  const productScope = det.facts.some((f) => f.scope === 'product');

  const t0 = now();
  await con.run(`CREATE TABLE raw AS SELECT *, row_number() OVER () AS ord FROM read_csv(${q(reportsPath)}, header = true, columns = ${types})`);
  await con.run(`CREATE TABLE r AS SELECT * FROM raw QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY ord) = 1`);
  const sel = (area) => `SELECT product_kind || '|' || product_id AS pkey, product_kind AS product, batch, ${area} AS area, onset_time AS onset, patient_id, ${FLAGS.join(', ')} FROM r`;
  await con.run(`CREATE TABLE e AS
    ${sel("substr(area_code, 1, 2) || '0000'")}
    UNION ALL ${sel("substr(area_code, 1, 4) || '00'")} WHERE substr(area_code, 3, 2) <> '00'
    UNION ALL ${sel('substr(area_code, 1, 6)')} WHERE substr(area_code, 5, 2) <> '00'
    UNION ALL ${sel('area_code')} WHERE length(area_code) = 9`);
  await con.run('CREATE TABLE a AS SELECT DISTINCT pkey, product, batch, area, onset AS t0 FROM e');
  await con.run(`CREATE TABLE wp AS SELECT a.pkey, a.batch, a.area, a.t0, e.patient_id, ${orFlags}
    FROM a JOIN e ON e.pkey = a.pkey AND e.batch = a.batch AND e.area = a.area AND e.onset >= a.t0 AND e.onset < a.t0 + ${windowSql}
    GROUP BY ALL`);
  if (productScope)
    await con.run(`CREATE TABLE pp AS SELECT a.pkey, a.batch, a.area, a.t0, e.patient_id, ${orFlags}
      FROM a JOIN e ON e.pkey = a.pkey AND e.area = a.area AND e.onset >= a.t0 AND e.onset < a.t0 + ${windowSql}
      GROUP BY ALL`);
  const keys = 'pkey, batch, area, t0';
  await con.run(`CREATE TABLE wf AS SELECT ${keys}${ownFacts.map(({ f, k }) => ', ' + countCol(f, k)).join('')} FROM wp GROUP BY ALL`);
  if (productScope) await con.run(`CREATE TABLE pf AS SELECT ${keys}${prodFacts.map(({ f, k }) => ', ' + countCol(f, k)).join('')} FROM pp GROUP BY ALL`);
  await con.run(`CREATE TABLE w AS SELECT a.pkey, a.product, a.batch, a.area, a.t0, ${factCols.join(', ')}${zero.length ? ', ' + zero.join(', ') : ''}
    FROM a LEFT JOIN wf USING (pkey, batch, area, t0)${productScope ? ' LEFT JOIN pf USING (pkey, batch, area, t0)' : ''}`);
  await con.run(`CREATE TABLE g AS SELECT *, ${rules} AS grade FROM w`);
  await con.run('CREATE TABLE best AS SELECT pkey, batch, area, max(grade) AS grade FROM g GROUP BY ALL');
  const secs = now() - t0;

  // the check
  const facts = det.facts.map((f) => f.fact);
  const rows = await (await con.run(`SELECT pkey, batch, area, epoch(t0)::BIGINT, ${facts.join(', ')}, grade FROM g`)).getRows();
  const windows = new Map();
  for (const r of rows) windows.set(`${r[0]}\u001f${r[1]}\u001f${r[2]}\u001f${Number(r[3])}`, r.slice(4));
  const bestRows = await (await con.run('SELECT pkey, batch, area, grade FROM best WHERE grade > 0')).getRows();
  const best = new Map();
  for (const r of (await (await con.run('SELECT pkey, batch, area, grade FROM best')).getRows())) best.set(`${r[0]}\u001f${r[1]}\u001f${r[2]}`, Number(r[3]));
  const GRADE = { none: 0, IV: 1, III: 2, II: 3, I: 4 };
  const spreadFacts = planJson.facts.filter((f) => f.spread).map((f) => f.name);
  const vigil = fs.readFileSync(vigilPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const seen = new Map();
  let mismatches = 0, checkedFacts = 0, checkedGrades = 0;
  const bad = (m) => { if (++mismatches <= 20) console.error(`mismatch: ${m}`); };
  for (const c of vigil) {
    const cluster = `${c.product_key}\u001f${c.batch}\u001f${c.area_code}`;
    seen.set(cluster, GRADE[c.grade]);
    const win = windows.get(`${cluster}\u001f${Math.round(Date.parse(c.window_from) / 1000)}`);
    if (!win) { bad(`${cluster.replace(/\u001f/g, ' ')} ${c.window_from}: no such window in DuckDB`); continue; }
    facts.forEach((f, k) => {
      const d = typeof win[k] === 'boolean' ? win[k] : Number(win[k]);
      if (d !== c[f]) bad(`${cluster.replace(/\u001f/g, ' ')} ${c.window_from}: ${f} vigil ${c[f]}, DuckDB ${d}`);
    });
    ++checkedFacts;
    if (spreadFacts.every((f) => !c[f])) {
      ++checkedGrades;
      if (best.get(cluster) !== GRADE[c.grade]) bad(`${cluster.replace(/\u001f/g, ' ')}: grade vigil ${c.grade}, DuckDB ${best.get(cluster)}`);
    }
  }
  for (const r of bestRows) {
    const cluster = `${r[0]}\u001f${r[1]}\u001f${r[2]}`;
    if (!seen.has(cluster) || seen.get(cluster) < Number(r[3])) bad(`${cluster.replace(/\u001f/g, ' ')}: DuckDB grade ${r[3]}, vigil ${seen.has(cluster) ? seen.get(cluster) : 'no cluster'}`);
  }
  const n = Number((await (await con.run('SELECT count(*) FROM r')).getRows())[0][0]);
  report({ peer: `DuckDB ${version}`, mode: 'read_csv + windows by self-join + CASE', reports: n, seconds: secs, threads,
           reports_per_second: Math.round(n / secs), duckdb_graded_clusters: bestRows.length, vigil_clusters: vigil.length,
           facts_checked: checkedFacts, grades_checked: checkedGrades, mismatches });
  process.exit(mismatches ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
