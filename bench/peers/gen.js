// node gen.js OUT ROWS [SEED] [FORM]: a seeded data set of clusters, one a row, that hits every grade.
// Columns: id (the row index), the nine facts, product. Same seed, same file; the same clusters in
// every form:
//   csv        the columns above (the default)
//   modifiers  CSV with the six modifiers of the built-in plans (possible_grade, sensitive, key_period,
//              spreading, wide_or_complex, controlled; from a second seeded stream, a tenth of the
//              cells blank) and the five override columns (blank: the grades stay the criteria's)
//   jsonl      JSON Lines, one object a cluster with the same keys as the CSV header
'use strict';
const fs = require('fs');

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODIFIERS = ['possible_grade', 'sensitive', 'key_period', 'spreading', 'wide_or_complex', 'controlled'];
const OVERRIDES = ['override_grade', 'override_by', 'override_reason', 'override_at', 'override_clause'];
const FACTS = ['rare_cases', 'severe_cases', 'deaths', 'similar_cases_nearby', 'provinces_with_II', 'prefectures_with_III',
  'counties_with_III', 'counties_with_IV', 'streets_with_IV'];

function generate(out, rows, seed, form = 'csv') {
  const rnd = mulberry32(seed);
  const rndm = mulberry32(seed ^ 0x5bd1e995);  // the modifiers: the clusters' facts stay as in csv
  const int = (n) => Math.floor(rnd() * n);  // 0 .. n-1
  const region = () => (rnd() < 0.06 ? 2 + int(2) : int(2));  // mostly 0-1, sometimes 2-3
  const fd = fs.openSync(out, 'w');
  const head = ['id', ...FACTS, 'product'];
  if (form === 'modifiers') fs.writeSync(fd, [...head, ...MODIFIERS, ...OVERRIDES].join(',') + '\n');
  else if (form === 'csv') fs.writeSync(fd, head.join(',') + '\n');
  const grades = ['none', 'IV', 'III', 'II', 'I'];
  let buf = [];
  for (let i = 0; i < rows; ++i) {
    let r;
    if (rnd() < 0.3) {  // a quiet cluster: mostly no grade
      r = [i, int(12), int(3), 0, rnd() < 0.5, int(2), int(2), int(2), int(2), int(2)];
    } else {            // anywhere across the thresholds
      r = [i, int(60), int(12), int(7), rnd() < 0.5, region(), region(), region(), region(), region()];
    }
    r.push(rnd() < 0.9 ? 'drug' : 'device');
    if (form === 'modifiers') {
      const blank = () => rndm() < 0.1;
      r.push(blank() ? '' : grades[Math.floor(rndm() * 5)]);
      for (let k = 1; k < MODIFIERS.length; ++k) r.push(blank() ? '' : rndm() < 0.2);
      r.push('', '', '', '', '');
      buf.push(r.join(','));
    } else if (form === 'jsonl') {
      const o = {};
      head.forEach((k, j) => { o[k] = r[j]; });
      buf.push(JSON.stringify(o));
    } else {
      buf.push(r.join(','));
    }
    if (buf.length === 65536) { fs.writeSync(fd, buf.join('\n') + '\n'); buf = []; }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
}

module.exports = { generate };

if (require.main === module) {
  const [out, rows, seed, form] = process.argv.slice(2);
  if (!out || !rows || (form && !['csv', 'modifiers', 'jsonl'].includes(form))) {
    console.error('usage: node gen.js OUT ROWS [SEED] [csv|modifiers|jsonl]');
    process.exit(2);
  }
  generate(out, Number(rows), Number(seed || 20261123), form || 'csv');
}
