// json-rules-engine: one rule per criterion (from plan_rules.js), engine.run() once per cluster;
// the grade is the highest among the events fired.
// Usage: node jre.js DATA.csv OUT.grades PLAN.json [ROWS]
'use strict';
const { Engine } = require('json-rules-engine');
const { loadPlan, jreRules } = require('./plan_rules');
const { readRecords, writeGrades, now, report } = require('./data');

(async () => {
  const [data, out, planPath, rows] = process.argv.slice(2);
  const recs = readRecords(data, Number(rows || 0));
  const engine = new Engine(jreRules(loadPlan(planPath)), { allowUndefinedFacts: false });
  const grades = new Uint8Array(recs.length);
  const t0 = now();
  for (let i = 0; i < recs.length; ++i) {
    const { events } = await engine.run(recs[i]);
    let g = 0;
    for (const e of events) g = Math.max(g, e.params.grade);
    grades[i] = g;
  }
  const secs = now() - t0;
  writeGrades(out, grades);
  report({ peer: `json-rules-engine ${require('json-rules-engine/package.json').version}`,
           mode: 'engine.run() one cluster at a time', rows: recs.length, seconds: secs, threads: 1 });
})().catch((e) => { console.error(e); process.exit(1); });
