// DuckDB (@duckdb/node-api) at its default thread count, in memory.
//   classify: the CSV is loaded into a table (not timed); CREATE TABLE graded AS SELECT id, <CASE from
//             plan_rules.js> is timed; the grades are read back (not timed).
//   e2e:      COPY (SELECT id, CASE ... FROM read_csv(DATA)) TO OUT.csv, timed whole.
//   e2e-json: COPY (SELECT id, CASE ... FROM read_json(DATA.jsonl)) TO OUT.csv, timed whole.
//   With ANSWER `full` (e2e, e2e-json), DuckDB writes what vigil writes: id, grade, grade_zh,
//   reasons, warning, response (plan_rules.js sqlAnswer), so the two files can be compared byte for
//   byte; with `grade` (the default) id and the grade as 0-4.
// Usage: node duckdb.js classify DATA.csv OUT.grades PLAN.json
//        node duckdb.js e2e DATA.csv OUT.csv PLAN.json [grade|full]
//        node duckdb.js e2e-json DATA.jsonl OUT.csv PLAN.json [grade|full]
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');
const { loadPlan, sqlCase, sqlAnswer, FACTS } = require('./plan_rules');
const { writeGrades, now, report } = require('./data');

const types = "{'id': 'BIGINT', 'rare_cases': 'UINTEGER', 'severe_cases': 'UINTEGER', 'deaths': 'UINTEGER', " +
  "'similar_cases_nearby': 'BOOLEAN', 'provinces_with_II': 'UINTEGER', 'prefectures_with_III': 'UINTEGER', " +
  "'counties_with_III': 'UINTEGER', 'counties_with_IV': 'UINTEGER', 'streets_with_IV': 'UINTEGER', 'product': 'VARCHAR'}";
const q = (s) => `'${s.replace(/'/g, "''")}'`;

// The columns of a CSV with more than the facts (gen.js `modifiers`: the plan's modifiers and the
// override fields), typed from the plan's fact kinds; null for the plain header.
function csvColumns(path, planPath) {
  const fd = fs.openSync(path, 'r');
  const buf = Buffer.alloc(4096);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const header = buf.subarray(0, n).toString('utf8').split('\n')[0].replace(/\r$/, '').split(',');
  if (header.join(',') === ['id', ...FACTS, 'product'].join(',')) return null;
  const kinds = new Map(JSON.parse(fs.readFileSync(planPath, 'utf8')).facts.map((f) => [f.name, f.kind]));
  const type = (c) => {
    if (c === 'id') return 'BIGINT';
    const k = kinds.get(c);
    return k === 'count' ? 'UINTEGER' : k === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
  };
  return { names: header, types: `{${header.map((c) => `${q(c)}: ${q(type(c))}`).join(', ')}}` };
}

(async () => {
  const [mode, data, out, planPath, answer = 'grade'] = process.argv.slice(2);
  if (!['grade', 'full'].includes(answer)) throw new Error(`answer: grade or full, not ${answer}`);
  const rules = sqlCase(loadPlan(planPath), false);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const threads = (await (await con.run("SELECT current_setting('threads')")).getRows())[0][0];
  const version = (await (await con.run('SELECT version()')).getRows())[0][0];
  // the query of the end-to-end modes: the grade alone, or vigil's whole CSV answer
  const select = (from) => {
    if (answer === 'grade') return `SELECT id, ${rules} AS grade FROM ${from}`;
    const a = sqlAnswer(planPath, wide ? wide.names : ['id', ...FACTS, 'product']);
    return `SELECT ${a.select} FROM (SELECT *, ${a.grade} AS g FROM ${from})`;
  };
  const wide = mode === 'e2e' ? csvColumns(data, planPath) : null;
  if (wide && answer !== 'full') throw new Error('a CSV with modifier columns: answer full only');
  const src = `read_csv(${q(data)}, header = true, columns = ${wide ? wide.types : types})`;
  if (mode === 'classify') {
    await con.run(`CREATE TABLE clusters AS SELECT * FROM ${src}`);
    const n = Number((await (await con.run('SELECT count(*) FROM clusters')).getRows())[0][0]);
    const t0 = now();
    await con.run(`CREATE TABLE graded AS SELECT id, ${rules} AS grade FROM clusters`);
    const secs = now() - t0;
    const grades = new Uint8Array(n);
    const rows = await (await con.run('SELECT id, grade FROM graded')).getRows();
    for (const [id, g] of rows) grades[Number(id)] = Number(g);
    writeGrades(out, grades);
    report({ peer: `DuckDB ${version}`, mode: 'in memory, CREATE TABLE AS SELECT CASE', rows: n, seconds: secs, threads: Number(threads) });
  } else if (mode === 'e2e') {
    const t0 = now();
    await con.run(`COPY (${select(src)}) TO ${q(out)} (HEADER, DELIMITER ',')`);
    const secs = now() - t0;
    report({ peer: `DuckDB ${version}`, mode: `read_csv + CASE + COPY to CSV (${answer})`, seconds: secs, threads: Number(threads) });
  } else if (mode === 'e2e-json') {
    const json = `read_json(${q(data)}, format = 'newline_delimited', columns = ${types})`;
    const t0 = now();
    await con.run(`COPY (${select(json)}) TO ${q(out)} (HEADER, DELIMITER ',')`);
    const secs = now() - t0;
    report({ peer: `DuckDB ${version}`, mode: `read_json + CASE + COPY to CSV (${answer})`, seconds: secs, threads: Number(threads) });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
