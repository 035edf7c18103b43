/**
 * Import speed: generates ~1M quote rows as NDJSON and as CSV in the OS temp folder, then times importTicks over each
 * (best of 5 full iterations). Run: node --import tsx test/data/import/bench-import.ts [rows]
 */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTicks } from '../../../engine/data/import/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'tick-import-bench-'));
const ndFile = join(dir, 'quotes.ndjson');
const csvFile = join(dir, 'quotes.csv');
writeFileSync(ndFile, '');
writeFileSync(csvFile, 'ts,bid,ask,bid_size,ask_size\n');
let ts = 1_700_000_000_000;
for (let start = 0; start < rows; start += 100_000) {
  let nd = '';
  let csv = '';
  for (let i = start; i < Math.min(rows, start + 100_000); i++) {
    ts += 1 + (i % 7);
    const bid = (1.1 + (i % 1000) * 0.00001).toFixed(5);
    const ask = (1.10002 + (i % 1000) * 0.00001).toFixed(5);
    const bs = 100_000 + (i % 13) * 50_000;
    const as = 250_000 + (i % 5) * 10_000;
    nd += `{"ts":${ts},"bid":${bid},"ask":${ask},"bidSize":${bs},"askSize":${as}}\n`;
    csv += `${ts},${bid},${ask},${bs},${as}\n`;
  }
  appendFileSync(ndFile, nd);
  appendFileSync(csvFile, csv);
}

/** Best of 5 full iterations: wall time and the process's CPU time in that run (the machine may be shared). */
function time(file: string): { wall: number; cpu: number } {
  let best = { wall: Infinity, cpu: Infinity };
  for (let run = 0; run < 5; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = importTicks(file, { kind: 'quotes', instrument: 'EURUSD.SIM' });
    let n = 0;
    for (const _ of result) n++;
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (n !== rows) throw new Error(`read ${n} ticks, expected ${rows}`);
    if (wall < best.wall) best = { wall, cpu: (c.user + c.system) / 1000 };
  }
  return best;
}

try {
  for (const [name, file] of [['ndjson', ndFile], ['csv', csvFile]] as const) {
    const { wall, cpu } = time(file);
    const rate = (ms: number): string => `${((rows / ms) * 1000 / 1e6).toFixed(2)} M rows/s`;
    console.log(`${name}: ${rows} quote rows (${(statSync(file).size / 1e6).toFixed(0)} MB): wall ${wall.toFixed(0)} ms = ${rate(wall)}; CPU ${cpu.toFixed(0)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
