// Reads gen.js's CSV into records (not timed); writes grades (one byte a row).
'use strict';
const fs = require('fs');
const { FACTS } = require('./plan_rules');

function readRecords(path, limit) {
  const text = fs.readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const header = lines[0].split(',');
  if (header.join(',') !== ['id', ...FACTS, 'product'].join(',')) throw new Error(`${path}: unexpected header`);
  const out = [];
  for (let i = 1; i < lines.length && (!limit || out.length < limit); ++i) {
    if (!lines[i]) continue;
    const f = lines[i].split(',');
    const r = { id: Number(f[0]) };
    FACTS.forEach((name, k) => { r[name] = name === 'similar_cases_nearby' ? f[k + 1] === 'true' : Number(f[k + 1]); });
    r.product = f[10];
    out.push(r);
  }
  return out;
}

function writeGrades(path, grades) { fs.writeFileSync(path, Buffer.from(grades)); }

const now = () => Number(process.hrtime.bigint()) / 1e9;

function report(o) { console.log(JSON.stringify(o)); }

module.exports = { readRecords, writeGrades, now, report };
