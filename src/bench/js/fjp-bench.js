#!/usr/bin/env node
// Times fast-json-patch's compare(a, b) over the document pairs LandingPageGenerator wrote, the
// way the Java benchmarks time a diff: parsed trees in, patch out. Per pair: warm-up, then the
// median of N timed runs; the patch's op count and compact JSON size; and whether applying the
// patch to a copy of a really yields b.
//
// usage: node fjp-bench.js PAIRS_DIR OUT.json [--quick] [--sizes 50KB,1MB,10MB]
// fast-json-patch is resolved through NODE_PATH (scripts/bench-patch installs it under target/).
'use strict';

const fs = require('fs');
const path = require('path');
const jsonpatch = require('fast-json-patch');

const SIZES = ['50KB', '1MB', '10MB'];
const SCENARIOS = ['one-field', '1pct-leaves', 'front-insert', 'move-to-front', 'delete-10pct'];

function main(argv) {
  const [pairsDir, outFile] = argv;
  if (!pairsDir || !outFile) throw new Error('usage: fjp-bench.js PAIRS_DIR OUT.json [--quick] [--sizes ...]');
  const quick = argv.includes('--quick');
  const si = argv.indexOf('--sizes');
  const sizes = si >= 0 ? argv[si + 1].split(',') : SIZES;
  // warm-up and measurement budgets per pair, in ms, with bounds on the number of runs
  const budget = quick
    ? { warmMs: 300, warmMin: 2, measureMs: 700, min: 5, max: 200 }
    : { warmMs: 1500, warmMin: 5, measureMs: 3000, min: 11, max: 500 };

  const pkg = require('fast-json-patch/package.json');
  const rows = [];
  for (const size of sizes) {
    const a = JSON.parse(fs.readFileSync(path.join(pairsDir, size, 'a.json'), 'utf8'));
    for (const scenario of SCENARIOS) {
      const b = JSON.parse(fs.readFileSync(path.join(pairsDir, size, scenario + '.json'), 'utf8'));
      let patch = null;
      const run = () => {
        const t0 = process.hrtime.bigint();
        patch = jsonpatch.compare(a, b);
        return Number(process.hrtime.bigint() - t0) / 1e6;
      };
      let warm = 0;
      for (let n = 0, spent = 0; n < budget.warmMin || spent < budget.warmMs; n++) {
        spent += run();
        warm++;
        if (n >= budget.max) break;
      }
      const times = [];
      for (let spent = 0; times.length < budget.min || (spent < budget.measureMs && times.length < budget.max); ) {
        const t = run();
        times.push(t);
        spent += t;
      }
      times.sort((x, y) => x - y);
      const median = times[Math.floor(times.length / 2)];
      const kinds = {};
      for (const op of patch) kinds[op.op] = (kinds[op.op] || 0) + 1;
      const patched = jsonpatch.applyPatch(jsonpatch.deepClone(a), patch, false, true).newDocument;
      const correct = jsonpatch.compare(patched, b).length === 0;
      const row = {
        size, scenario,
        diffMs: median, minMs: times[0], runs: times.length, warmup: warm,
        ops: patch.length,
        bytes: Buffer.byteLength(JSON.stringify(patch)),
        kinds, correct,
      };
      rows.push(row);
      process.stderr.write(`${size.padEnd(5)} ${scenario.padEnd(14)} fast-json-patch ${median.toFixed(2).padStart(9)} ms (median of ${times.length}) ${String(patch.length).padStart(6)} ops ${row.bytes.toLocaleString('en-US').padStart(11)} B${correct ? '' : '  WRONG RESULT'}\n`);
    }
  }
  fs.writeFileSync(outFile, JSON.stringify({ node: process.version, fastJsonPatch: pkg.version, rows }, null, 2));
}

main(process.argv.slice(2));
