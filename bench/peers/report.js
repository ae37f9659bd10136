// node report.js RESULTS.jsonl: the side-by-side table. Each line of RESULTS is a driver's JSON
// line plus "grades" (its grade file) ; the first line whose peer starts with "vigil" and whose
// mode is the single-threaded batch is the reference every grade is checked against.
// Exit status 1 when any peer disagrees with vigil on any row.
'use strict';
const fs = require('fs');
const { GRADE_NAME } = require('./plan_rules');

const results = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const ref = results.find((r) => r.peer.startsWith('vigil') && r.reference);
if (!ref) throw new Error('no vigil reference run in the results');
const refGrades = fs.readFileSync(ref.grades);
const refRate = ref.rows / ref.seconds;

const hist = [0, 0, 0, 0, 0];
for (const g of refGrades) hist[g]++;
console.log(`data: ${refGrades.length} clusters; vigil's grades: ` +
            hist.map((n, g) => `${GRADE_NAME[g]} ${n}`).join(', '));
if (hist.some((n) => n === 0)) { console.log('FAIL: the data does not hit every grade'); process.exitCode = 1; }

const fmt = (x) => (x >= 1e9 ? `${(x / 1e9).toFixed(2)} G` : x >= 1e6 ? `${(x / 1e6).toFixed(1)} M`
                   : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const rows = [['engine', 'mode', 'threads', 'rows', 'rows/s', 'vigil 1-thread ÷ it', 'rows checked', 'disagree']];
let bad = 0;
for (const r of results) {
  let checked = '-', disagree = '-';
  if (r.grades) {
    const g = fs.readFileSync(r.grades);
    if (g.length !== r.rows) throw new Error(`${r.peer}: ${g.length} grades for ${r.rows} rows`);
    let d = 0;
    for (let i = 0; i < g.length; ++i) if (g[i] !== refGrades[i]) ++d;
    checked = String(g.length);
    disagree = String(d);
    bad += d;
  }
  const rate = r.rows / r.seconds;
  rows.push([r.peer, r.mode, String(r.threads), String(r.rows), fmt(rate),
             r === ref ? '1 (reference)' : `${(refRate / rate).toFixed(refRate / rate >= 100 ? 0 : 2)}×`, checked, disagree]);
}
const w = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
for (const [i, r] of rows.entries()) {
  console.log('| ' + r.map((c, k) => c.padEnd(w[k])).join(' | ') + ' |');
  if (i === 0) console.log('| ' + w.map((n) => '-'.repeat(n)).join(' | ') + ' |');
}
if (bad) { console.log(`FAIL: ${bad} grades differ from vigil's`); process.exitCode = 1; }
else console.log('every checked row: the same grade as vigil');
