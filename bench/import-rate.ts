/** NDJSON and CSV import rates: ~1M generated quote rows, importTicks over each (median of `runs`). */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importTicks } from '../engine/data/import/index.js';

export function benchImport(dir: string, runs: number, rows = 1_000_000): { ndjson: number; csv: number } {
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
  const rate = (file: string): number => {
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      let n = 0;
      for (const _ of importTicks(file, { kind: 'quotes', instrument: 'EURUSD.SIM' })) n++;
      if (n !== rows) throw new Error(`read ${n} ticks from ${file}, expected ${rows}`);
      rates.push(rows / ((performance.now() - t0) / 1000));
    }
    return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  };
  return { ndjson: rate(ndFile), csv: rate(csvFile) };
}
