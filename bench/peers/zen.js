// GoRules zen-engine, its fastest mode here: one decision table (hit policy "first", from
// plan_rules.js) in loop mode over arrays of BATCH records per evaluate() call.
// Usage: node zen.js DATA.csv OUT.grades PLAN.json [ROWS] [BATCH]
'use strict';
const { ZenEngine } = require('@gorules/zen-engine');
const { loadPlan, zenDecision } = require('./plan_rules');
const { readRecords, writeGrades, now, report } = require('./data');

(async () => {
  const [data, out, planPath, rows, batchArg] = process.argv.slice(2);
  const batch = Number(batchArg || 1000);  // 1 k a call, one call at a time: the fastest seen here
  const recs = readRecords(data, Number(rows || 0));
  const engine = new ZenEngine();
  const decision = engine.createDecision(Buffer.from(JSON.stringify(zenDecision(loadPlan(planPath)))));
  const grades = new Uint8Array(recs.length);
  const t0 = now();
  for (let base = 0; base < recs.length; base += batch) {
    const chunk = recs.slice(base, base + batch);
    const r = await decision.evaluate({ clusters: chunk });
    const g = r.result.grades;
    if (!Array.isArray(g) || g.length !== chunk.length) throw new Error(`zen: expected ${chunk.length} grades, got ${JSON.stringify(r.result).slice(0, 200)}`);
    for (let i = 0; i < g.length; ++i) grades[base + i] = Number(g[i].grade);
  }
  const secs = now() - t0;
  writeGrades(out, grades);
  report({ peer: `zen-engine ${require('@gorules/zen-engine/package.json').version}`,
           mode: `decision table, loop mode, ${batch} records per call`, rows: recs.length, seconds: secs, threads: 1 });
  engine.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
