/**
 * Where a backtest's ticks come from: recordings (`.tkr`, carrying their instrument ids) and CSV files (one instrument
 * each, named in the spec), given as paths or simple globs (`data/rec/*.tkr`). All are merged by time, stably.
 * A file is a recording when it is named `.tkr` or starts with the recording magic: a `.tkr` whose magic is damaged is
 * read as a recording, and the reader says it is not one ("not a tick recording"); it is never mistaken for a CSV file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Tick } from '../model/tick.js';
import { DataError, readCsvTicks } from './csv-ticks.js';
import { between, mergeTicks } from './merge.js';
import { isRecording, replayRecordings } from './recording/index.js';

export interface DataSpec {
  readonly file: string;
  /** Required for CSV files; a recording names its own instruments. */
  readonly instrument?: string;
}

export const isRecordingFile = (file: string): boolean => extname(file).toLowerCase() === '.tkr' || isRecording(file);

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** Expands `*` and `?` in the file name (not in folders); a pattern that matches nothing is an error. */
export function expandData(specs: readonly DataSpec[]): DataSpec[] {
  return specs.flatMap((spec) => {
    const name = basename(spec.file);
    if (!/[*?]/.test(name)) {
      if (!existsSync(spec.file)) throw new DataError(`${spec.file}: no such file`);
      return [spec];
    }
    const dir = dirname(spec.file);
    const re = globToRegExp(name);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).sort() : [];
    if (files.length === 0) throw new DataError(`${spec.file}: no file matches`);
    return files.map((f) => ({ ...spec, file: join(dir, f) }));
  });
}

/** The instruments the specs will produce (a recording's from its header) — to check them against the config. */
export function instrumentsOf(spec: DataSpec, recordingInstruments: (file: string) => readonly string[]): readonly string[] {
  return isRecordingFile(spec.file) ? recordingInstruments(spec.file) : spec.instrument ? [spec.instrument] : [];
}

export function openTicks(specs: readonly DataSpec[], opts: { from?: number; to?: number; onWarning?: (m: string) => void; decodeThread?: boolean } = {}): Iterable<Tick> {
  const recordings = specs.filter((s) => isRecordingFile(s.file)).map((s) => s.file);
  const csv = specs.filter((s) => !isRecordingFile(s.file));
  for (const s of csv) {
    if (!s.instrument) throw new DataError(`${s.file}: a CSV file needs its instrument: --data INSTRUMENT=${s.file}`);
  }
  const streams: Iterable<Tick>[] = [];
  if (recordings.length > 0) streams.push(replayRecordings(recordings, { from: opts.from, to: opts.to, onWarning: opts.onWarning, decodeThread: opts.decodeThread }));
  for (const s of csv) streams.push(between(readCsvTicks(s.file, s.instrument!), opts.from, opts.to));
  return streams.length === 1 ? streams[0]! : mergeTicks(streams);
}
