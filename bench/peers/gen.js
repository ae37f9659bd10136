// node gen.js OUT.csv ROWS [SEED]: a seeded data set of clusters, one a row, that hits every grade.
// Columns: id (the row index), the nine facts, product. Same seed, same file.
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

function generate(out, rows, seed) {
  const rnd = mulberry32(seed);
  const int = (n) => Math.floor(rnd() * n);  // 0 .. n-1
  const region = () => (rnd() < 0.06 ? 2 + int(2) : int(2));  // mostly 0-1, sometimes 2-3
  const fd = fs.openSync(out, 'w');
  fs.writeSync(fd, 'id,rare_cases,severe_cases,deaths,similar_cases_nearby,provinces_with_II,prefectures_with_III,' +
                   'counties_with_III,counties_with_IV,streets_with_IV,product\n');
  let buf = [];
  for (let i = 0; i < rows; ++i) {
    let r;
    if (rnd() < 0.3) {  // a quiet cluster: mostly no grade
      r = [i, int(12), int(3), 0, rnd() < 0.5, int(2), int(2), int(2), int(2), int(2)];
    } else {            // anywhere across the thresholds
      r = [i, int(60), int(12), int(7), rnd() < 0.5, region(), region(), region(), region(), region()];
    }
    r.push(rnd() < 0.9 ? 'drug' : 'device');
    buf.push(r.join(','));
    if (buf.length === 65536) { fs.writeSync(fd, buf.join('\n') + '\n'); buf = []; }
  }
  if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
  fs.closeSync(fd);
}

module.exports = { generate };

if (require.main === module) {
  const [out, rows, seed] = process.argv.slice(2);
  if (!out || !rows) { console.error('usage: node gen.js OUT.csv ROWS [SEED]'); process.exit(2); }
  generate(out, Number(rows), Number(seed || 20261123));
}
