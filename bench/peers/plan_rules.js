// Reads a plan's "grading" and "scope" sections (docs/plan-format.md) and writes each peer's rules
// from them: nothing here knows a threshold. Every criterion alternative becomes a conjunction of
// closed integer intervals [lo, hi] per fact, exactly as src/plan_load.cpp compiles them.
'use strict';
const fs = require('fs');

const FACTS = ['rare_cases', 'severe_cases', 'deaths', 'similar_cases_nearby', 'provinces_with_II',
               'prefectures_with_III', 'counties_with_III', 'counties_with_IV', 'streets_with_IV'];
const BOOLEAN = new Set(['similar_cases_nearby']);
const GRADE = { I: 4, II: 3, III: 2, IV: 1 };
const GRADE_NAME = ['none', 'IV', 'III', 'II', 'I'];
const MAX = 4294967295;

function interval(fact, b) {
  if (BOOLEAN.has(fact)) {
    if (typeof b.is !== 'boolean') throw new Error(`${fact}: expected {"is": true|false}`);
    const v = b.is ? 1 : 0;
    return { fact, lo: v, hi: v };
  }
  let lo = 0, hi = MAX;
  if (b.eq !== undefined) lo = hi = b.eq;
  if (b.ge !== undefined) lo = b.ge;
  if (b.gt !== undefined) lo = b.gt + 1;
  if (b.le !== undefined) hi = b.le;
  if (b.lt !== undefined) hi = b.lt - 1;
  for (const k of Object.keys(b)) if (!['ge', 'gt', 'le', 'lt', 'eq'].includes(k)) throw new Error(`${fact}: unknown bound ${k}`);
  return { fact, lo, hi };
}

// -> { id, scope: ['drug',...], rows: [{grade, criterion, clause, conds:[{fact,lo,hi}]}] }
// rows are ordered graver grade first (a stable sort, as the loader does).
function loadPlan(path) {
  const plan = JSON.parse(fs.readFileSync(path, 'utf8'));
  const crit = plan.grading.criteria.map((c, i) => ({ c, i }))
    .sort((a, b) => GRADE[b.c.grade] - GRADE[a.c.grade] || a.i - b.i);
  const rows = [];
  crit.forEach(({ c }, index) => {
    if (c.expert) return;  // never computed
    for (const alt of c.any) {
      const conds = Object.entries(alt).map(([f, b]) => {
        if (!FACTS.includes(f)) throw new Error(`${c.clause}: unknown fact ${f}`);
        return interval(f, b);
      });
      rows.push({ grade: GRADE[c.grade], criterion: index, clause: c.clause, conds });
    }
  });
  return { id: plan.id, scope: plan.scope.products, rows };
}

const allProducts = (p) => p.scope.includes('drug') && p.scope.includes('device');

// Plain JavaScript, used as a cross-check of the generated rules (not timed against anyone).
function gradeOf(p, r) {
  if (!p.scope.includes(r.product)) return 0;
  for (const row of p.rows) {
    if (row.conds.every(({ fact, lo, hi }) => {
      const v = BOOLEAN.has(fact) ? (r[fact] ? 1 : 0) : r[fact];
      return v >= lo && v <= hi;
    })) return row.grade;
  }
  return 0;
}

// SQL: one CASE, rows in order (first hit = graver grade). `boolAs01`: the boolean column holds 0/1.
function sqlCase(p, boolAs01) {
  const cond = ({ fact, lo, hi }) => {
    if (BOOLEAN.has(fact)) return boolAs01 ? `${fact} = ${lo}` : (lo ? fact : `NOT ${fact}`);
    if (hi === MAX) return `${fact} >= ${lo}`;
    if (lo === hi) return `${fact} = ${lo}`;
    return `${fact} BETWEEN ${lo} AND ${hi}`;
  };
  let s = 'CASE';
  if (!allProducts(p)) s += ` WHEN product NOT IN (${p.scope.map((x) => `'${x}'`).join(', ')}) THEN 0`;
  for (const row of p.rows) s += `\n  WHEN ${row.conds.map(cond).join(' AND ')} THEN ${row.grade}`;
  return s + '\n  ELSE 0 END';
}

// SQL: the whole answer vigil writes to CSV (id, grade, grade_zh, reasons, warning, response),
// from the plan's grading, warnings and responses sections, as src/classify.cpp and
// src/response.cpp (decide_levels) read them: reasons are the clause ids of every criterion that
// holds, in the plan's order (graver grade first), joined by ';'; the warning is the gravest
// colour of every warning rule that holds; the response is the least level any `set` rule gives,
// less the largest `raise`, plus the largest `lower`, kept within the plan's levels. `present`
// names the input's columns: a modifier that is not one reads as absent (false, none).
// Returns { select, grade } for `SELECT <select> FROM (SELECT *, <grade> AS g FROM src)`.
const GRADE_ZH = ['', '一般', '较大', '重大', '特别重大'];
function sqlAnswer(planPath, present) {
  const raw = JSON.parse(fs.readFileSync(planPath, 'utf8'));
  const p = loadPlan(planPath);
  const kinds = new Map(raw.facts.map((f) => [f.name, f.kind]));
  const has = (f) => present.includes(f);
  const gradeRank = (v) => {
    if (v === 'none') return 0;
    if (!(v in GRADE)) throw new Error(`not a grade: ${v}`);
    return GRADE[v];
  };
  // a grade-valued column as 0-4 (blank: none)
  const rankOf = (f) => has(f)
    ? `(CASE ${f} WHEN 'I' THEN 4 WHEN 'II' THEN 3 WHEN 'III' THEN 2 WHEN 'IV' THEN 1 ELSE 0 END)` : '0';
  const bounds = (x, b, conv) => {
    if (typeof b !== 'object') return `${x} = ${conv(b)}`;
    const out = [];
    for (const [k, v] of Object.entries(b)) {
      const op = { ge: '>=', gt: '>', le: '<=', lt: '<', eq: '=' }[k];
      if (!op) throw new Error(`unknown bound ${k}`);
      out.push(`${x} ${op} ${conv(v)}`);
    }
    return out.join(' AND ');
  };
  const term = (f, b) => {
    if (f === 'grade') return bounds('g', b, gradeRank);
    const kind = kinds.get(f);
    if (kind === 'grade') return bounds(rankOf(f), b, gradeRank);
    if (kind === 'boolean') {
      const want = typeof b === 'object' ? b.is : b;
      if (typeof want !== 'boolean') throw new Error(`${f}: expected true or false`);
      const x = has(f) ? `coalesce(${f}, false)` : 'false';
      return want ? x : `NOT ${x}`;
    }
    if (kind === 'count') return bounds(has(f) ? `coalesce(${f}, 0)` : '0', b, (v) => v);
    throw new Error(`unknown fact ${f}`);
  };
  const holds = (when) => when.map((alt) => `(${Object.entries(alt).map(([f, b]) => term(f, b)).join(' AND ') || 'true'})`).join(' OR ');
  const inScope = allProducts(p) ? 'true' : `product IN (${p.scope.map((x) => `'${x}'`).join(', ')})`;
  // reasons: one CASE a criterion, as sqlCase's alternatives
  const cond = ({ fact, lo, hi }) => {
    if (BOOLEAN.has(fact)) return lo ? fact : `NOT ${fact}`;
    if (hi === MAX) return `${fact} >= ${lo}`;
    if (lo === hi) return `${fact} = ${lo}`;
    return `${fact} BETWEEN ${lo} AND ${hi}`;
  };
  const crit = new Map();
  for (const r of p.rows) {
    if (!crit.has(r.criterion)) crit.set(r.criterion, { clause: r.clause, alts: [] });
    crit.get(r.criterion).alts.push(r.conds);
  }
  const q = (s) => `'${s.replace(/'/g, "''")}'`;
  const reasons = `CASE WHEN NOT (${inScope}) THEN 'out of scope' ELSE nullif(concat_ws(';', ${[...crit.values()]
    .map((c) => `CASE WHEN ${c.alts.map((a) => `(${a.map(cond).join(' AND ')})`).join(' OR ')} THEN ${q(c.clause)} END`).join(', ')}), '') END`;
  const colourRank = { red: 4, orange: 3, yellow: 2, blue: 1 };
  const wrules = (raw.warnings ? raw.warnings.rules : []).slice().sort((a, b) => colourRank[b.colour] - colourRank[a.colour]);
  const warning = `CASE WHEN NOT (${inScope}) THEN 'none'${wrules.map((r) => ` WHEN ${holds(r.when)} THEN ${q(r.colour)}`).join('')} ELSE 'none' END`;
  const rr = raw.responses ? raw.responses.rules : [];
  const levels = raw.responses ? raw.responses.levels.map((l) => l.level) : [];
  const pick = (key) => rr.filter((r) => r[key] !== undefined).map((r) => `CASE WHEN ${holds(r.when)} THEN ${r[key]} END`);
  const least = (xs) => (xs.length ? `least(${xs.join(', ')})` : 'NULL');
  const most = (xs) => (xs.length ? `coalesce(greatest(${xs.join(', ')}), 0)` : '0');
  const base = least(pick('set'));
  const level = levels.length
    ? `least(${Math.max(...levels)}, greatest(${Math.min(...levels)}, (${base}) - ${most(pick('raise'))}) + ${most(pick('lower'))})` : 'NULL';
  const response = `CASE WHEN NOT (${inScope}) OR (${base}) IS NULL THEN 'none' ELSE CAST(${level} AS VARCHAR) END`;
  const list = (xs) => `[${xs.map(q).join(', ')}]`;
  const select = `id, (${list(GRADE_NAME)})[g + 1] AS grade, ` +
    `nullif((${list(GRADE_ZH)})[g + 1], '') AS grade_zh, ${reasons} AS reasons, ` +
    `${warning} AS warning, ${response} AS response`;
  return { select, grade: sqlCase(p, false) };
}

// GoRules JDM: one decision table, hit policy "first", loop mode over the array `clusters`.
// zen tables have no "or": one rule per alternative.
function zenDecision(p) {
  const inputs = FACTS.map((f, i) => ({ id: `in${i}`, name: f, field: f }));
  inputs.push({ id: 'inp', name: 'product', field: 'product' });
  const unary = ({ fact, lo, hi }) => {
    if (BOOLEAN.has(fact)) return lo ? 'true' : 'false';
    if (hi === MAX) return `>= ${lo}`;
    if (lo === hi) return `${lo}`;
    return `[${lo}..${hi}]`;
  };
  const scope = allProducts(p) ? '' : p.scope.map((x) => `"${x}"`).join(', ');
  const rules = p.rows.map((row, k) => {
    const r = { _id: `r${k}`, out: String(row.grade) };
    for (const inp of inputs) r[inp.id] = '';  // an empty cell matches anything
    for (const c of row.conds) r[`in${FACTS.indexOf(c.fact)}`] = unary(c);
    if (scope) r.inp = scope;
    return r;
  });
  rules.push(Object.fromEntries([['_id', 'else'], ['out', '0'], ...inputs.map((i) => [i.id, ''])]));
  return {
    nodes: [
      { id: 'req', type: 'inputNode', name: 'request', position: { x: 0, y: 0 } },
      {
        id: 'table', type: 'decisionTableNode', name: 'grading', position: { x: 200, y: 0 },
        content: {
          hitPolicy: 'first', passThrough: false, executionMode: 'loop',
          inputField: 'clusters', outputPath: 'grades',
          inputs, outputs: [{ id: 'out', name: 'grade', field: 'grade' }], rules,
        },
      },
      { id: 'res', type: 'outputNode', name: 'response', position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'req', targetId: 'table', type: 'edge' },
      { id: 'e2', sourceId: 'table', targetId: 'res', type: 'edge' },
    ],
  };
}

// json-rules-engine: one rule per criterion ("any" of "all"), priority = grade; the event carries
// the grade; the answer is the highest grade among the events.
function jreRules(p) {
  const byCrit = new Map();
  for (const row of p.rows) {
    if (!byCrit.has(row.criterion)) byCrit.set(row.criterion, { grade: row.grade, clause: row.clause, alts: [] });
    byCrit.get(row.criterion).alts.push(row.conds);
  }
  const cond = ({ fact, lo, hi }) => {
    if (BOOLEAN.has(fact)) return [{ fact, operator: 'equal', value: lo === 1 }];
    const out = [{ fact, operator: 'greaterThanInclusive', value: lo }];
    if (hi !== MAX) out.push({ fact, operator: 'lessThanInclusive', value: hi });
    return out;
  };
  return [...byCrit.values()].map((c) => {
    let conditions = { any: c.alts.map((conds) => ({ all: conds.flatMap(cond) })) };
    if (!allProducts(p)) conditions = { all: [{ fact: 'product', operator: 'in', value: p.scope }, conditions] };
    return { name: c.clause, priority: c.grade, conditions, event: { type: 'grade', params: { grade: c.grade } } };
  });
}

// CLIPS: a template `cluster` with integer slots (booleans 0/1, the row index in `id`), one rule per
// alternative; the action calls the C function (grade ?id N), which keeps the highest grade.
function clipsRules(p) {
  let s = '(deftemplate cluster (slot id (type INTEGER))';
  for (const f of FACTS) s += ` (slot ${f} (type INTEGER))`;
  s += ' (slot product (type SYMBOL)))\n';
  p.rows.forEach((row, k) => {
    const slots = row.conds.map(({ fact, lo, hi }, j) => {
      if (lo === hi) return `(${fact} ${lo})`;
      if (hi === MAX) return `(${fact} ?v${j}&:(>= ?v${j} ${lo}))`;
      return `(${fact} ?v${j}&:(>= ?v${j} ${lo})&:(<= ?v${j} ${hi}))`;
    });
    if (!allProducts(p)) slots.push(`(product ${p.scope.join('|')})`);
    s += `(defrule r${k} (cluster (id ?id) ${slots.join(' ')}) => (grade ?id ${row.grade}))\n`;
  });
  return s;
}

module.exports = { FACTS, BOOLEAN, GRADE_NAME, MAX, loadPlan, gradeOf, sqlCase, sqlAnswer, zenDecision, jreRules, clipsRules, allProducts };

if (require.main === module) {
  // node plan_rules.js PLAN.json OUTDIR: write every peer's rules (to read and to diff).
  const [planPath, outDir] = process.argv.slice(2);
  const p = loadPlan(planPath);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(`${outDir}/rules.sql`, sqlCase(p, false) + '\n');
  fs.writeFileSync(`${outDir}/rules_sqlite.sql`, sqlCase(p, true) + '\n');
  fs.writeFileSync(`${outDir}/rules.clp`, clipsRules(p));
  fs.writeFileSync(`${outDir}/zen.json`, JSON.stringify(zenDecision(p), null, 1));
  fs.writeFileSync(`${outDir}/jre.json`, JSON.stringify(jreRules(p), null, 1));
  console.log(`rules for plan ${p.id}: ${p.rows.length} alternatives -> ${outDir}`);
}
