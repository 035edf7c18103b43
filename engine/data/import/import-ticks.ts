/**
 * importTicks: a lazy Iterable<Tick> over a CSV or NDJSON file (plain, .gz or inside a .zip). Options are checked
 * when it is called; the file is opened and read line by line while the result is iterated. A bad row stops the import
 * with a DataError `file:line: what is wrong (row)`, or is skipped and counted with `skipBad`.
 */
import type { Tick } from '../../model/tick.js';
import { DataError } from '../csv-ticks.js';
import { splitCsvLine } from './csv-line.js';
import { excerpt, planCsv, planNdjson, type Plan, type RowKind } from './fields.js';
import { LineReader } from './lines.js';
import { type Cells, KeySlots, readFlatJson, readJsonObject } from './ndjson-line.js';
import { dayFromNames, type Resolved, resolveOptions } from './options.js';
import { BadRow, RowReader } from './row-reader.js';
import { rowProcessor } from './row-ticks.js';
import { formatOfName, openSource, type OpenedSource, sourceLabel } from './source.js';
import { tickFromJson } from './tick-json.js';
import type { ImportFormat, ImportOptions, ImportResult, ImportSource, ImportStats } from './types.js';

export function importTicks(input: ImportSource, opts: ImportOptions): ImportResult {
  const cfg = resolveOptions(opts);
  const label = sourceLabel(input);
  if (!cfg.format && !label.toLowerCase().endsWith('.zip')) formatOf(cfg, label, label);
  const stats: ImportStats = { rows: 0, ticks: 0, skippedBad: 0, skippedFlagged: 0, badSamples: [] };
  return {
    stats,
    [Symbol.iterator]() {
      Object.assign(stats, { rows: 0, ticks: 0, skippedBad: 0, skippedFlagged: 0, badSamples: [] });
      return run(input, cfg, stats);
    },
  };
}

function formatOf(cfg: Resolved, name: string, label: string): ImportFormat {
  const f = cfg.format ?? formatOfName(name);
  if (!f) throw new DataError(`${label}: cannot tell the format from the file name: name it .csv, .ndjson or .jsonl, or pass format: 'csv' | 'ndjson'`);
  return f;
}

function* run(input: ImportSource, cfg: Resolved, stats: ImportStats): Generator<Tick> {
  const src = openSource(input);
  const lines = new LineReader(src.chunks);
  const onBad = (what: string, line: string): void => {
    const msg = `${src.label}:${lines.lineNo}: ${what} (${excerpt(line)})`;
    if (!cfg.skipBad) throw new DataError(msg);
    stats.skippedBad++;
    if (stats.badSamples.length < 5) stats.badSamples.push(msg);
  };
  try {
    const format = formatOf(cfg, src.name, src.label);
    if (cfg.kind === 'ticks') {
      if (format !== 'ndjson') throw new DataError(`${src.label}: kind 'ticks' reads NDJSON Tick lines; this file is ${format}`);
      yield* tickLines(lines, cfg, stats, onBad);
      return;
    }
    yield* (format === 'csv' ? csvRows : ndjsonRows)(lines, src, cfg, stats, onBad);
  } finally {
    lines.close();
  }
}

type OnBad = (what: string, line: string) => void;

function readerFor(src: OpenedSource, cfg: Resolved, plan: Plan): RowReader {
  let day = cfg.day;
  if (day === 'auto') {
    day = dayFromNames([src.name, src.outer], cfg.tz);
    if (!day) throw new DataError(`${src.label}: cannot read the day from the file or zip entry name (expected eight digits of a day in it, as Lean names have: 20131007_quote.zip): pass date: 'YYYY-MM-DD' (--date on the command line)`);
  }
  return new RowReader(cfg, plan, day);
}

const isBlank = (line: string): boolean => line.length === 0 || line.trim().length === 0;

function* csvRows(lines: LineReader, src: OpenedSource, cfg: Resolved, stats: ImportStats, onBad: OnBad): Generator<Tick> {
  const kind = cfg.kind as RowKind;
  let header: string[] | undefined;
  if (cfg.header) {
    let first = lines.next();
    while (first !== undefined && isBlank(first)) first = lines.next();
    if (first === undefined) return;
    header = splitCsvLine(first);
    if (!header) throw new DataError(`${src.label}:${lines.lineNo}: the header has an unclosed quote (${excerpt(first)})`);
  }
  const reader = readerFor(src, cfg, planCsv(kind, cfg.map, cfg.flag, header, src.label));
  const proc = rowProcessor(kind, reader, stats);
  yield* rowLoop(lines, proc, stats, onBad, (line) => {
    const cells = splitCsvLine(line);
    if (!cells) throw new BadRow('unclosed quote');
    return cells;
  });
}

/** The loop both formats share: each line to cells, cells to ticks; a bad row stops the import or is counted. */
function* rowLoop(
  lines: LineReader, proc: ReturnType<typeof rowProcessor>, stats: ImportStats, onBad: OnBad, toCells: (line: string) => Cells,
): Generator<Tick> {
  for (let line = lines.next(); line !== undefined; line = lines.next()) {
    if (isBlank(line)) continue;
    stats.rows++;
    let tick: Tick | undefined;
    try {
      tick = proc.row(toCells(line));
    } catch (err) {
      if (!(err instanceof BadRow)) throw err;
      onBad(err.message, line);
    }
    for (; tick !== undefined; tick = proc.more()) {
      stats.ticks++;
      yield tick;
    }
  }
  // what the processor held back (bars waiting for their length) comes out at the end, in order
  for (let tick = proc.finish(); tick !== undefined; tick = proc.more()) {
    stats.ticks++;
    yield tick;
  }
}

function* ndjsonRows(lines: LineReader, src: OpenedSource, cfg: Resolved, stats: ImportStats, onBad: OnBad): Generator<Tick> {
  const kind = cfg.kind as RowKind;
  const { plan, slotOf } = planNdjson(kind, cfg.map, cfg.flag, src.label);
  const reader = readerFor(src, cfg, plan);
  const proc = rowProcessor(kind, reader, stats);
  const width = slotOf.size;
  const keys = new KeySlots(slotOf);
  const cells: Cells = new Array<string | number | undefined>(width).fill(undefined);
  yield* rowLoop(lines, proc, stats, onBad, (line) => {
    for (let i = 0; i < width; i++) cells[i] = undefined;
    if (!readFlatJson(line, keys, cells)) {
      for (let i = 0; i < width; i++) cells[i] = undefined;
      const err = readJsonObject(line, slotOf, cells);
      if (err) throw new BadRow(err);
    }
    return cells;
  });
}

function* tickLines(lines: LineReader, cfg: Resolved, stats: ImportStats, onBad: OnBad): Generator<Tick> {
  let lastTs = -Infinity;
  for (let line = lines.next(); line !== undefined; line = lines.next()) {
    if (isBlank(line)) continue;
    stats.rows++;
    let tick: Tick;
    try {
      tick = tickFromJson(line, cfg.instrument);
      if (tick.tsEvent < lastTs) throw new BadRow(`time goes backwards: tsEvent ${tick.tsEvent} is before the previous line's ${lastTs}`);
    } catch (err) {
      if (!(err instanceof BadRow)) throw err;
      onBad(err.message, line);
      continue;
    }
    lastTs = tick.tsEvent;
    stats.ticks++;
    yield tick;
  }
}
