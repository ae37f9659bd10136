// node compare_csv.js VIGIL_OUT.csv DUCKDB_OUT.csv: the end-to-end outputs give every id the same
// grade (vigil writes id,grade,grade_zh,reasons; DuckDB writes id,grade as 0-4). Streams both.
'use strict';
const fs = require('fs');
const readline = require('readline');
const { GRADE_NAME } = require('./plan_rules');

async function grades(path, col, numeric) {
  const out = [];
  const rl = readline.createInterface({ input: fs.createReadStream(path), crlfDelay: Infinity });
  let first = true;
  for await (const line of rl) {
    if (first) { first = false; continue; }
    if (!line) continue;
    const f = line.split(',', col + 1);
    const id = Number(f[0]);
    out[id] = numeric ? Number(f[col]) : GRADE_NAME.indexOf(f[col]);
  }
  return out;
}

(async () => {
  const [a, b] = process.argv.slice(2);
  const [va, vb] = await Promise.all([grades(a, 1, false), grades(b, 1, true)]);
  let d = 0;
  if (va.length !== vb.length) { console.log(`FAIL: ${va.length} rows from vigil, ${vb.length} from DuckDB`); process.exit(1); }
  for (let i = 0; i < va.length; ++i) if (va[i] !== vb[i]) ++d;
  console.log(`end to end: ${va.length} rows checked, ${d} disagree`);
  process.exit(d ? 1 : 0);
})();
