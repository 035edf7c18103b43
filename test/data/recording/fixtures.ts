import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, expect } from 'vitest';
import { createRecordingWriter, type WriterOptions } from '../../../engine/data/recording/index.js';
import type { Tick } from '../../../engine/model/tick.js';

export * from './sample-ticks.js';

/** Field-by-field identity (Object.is: -0 and NaN count), same keys; reports the first difference. */
export function expectSameTicks(actual: readonly Tick[], expected: readonly Tick[]): void {
  const same = (a: unknown, b: unknown): boolean => {
    if (Object.is(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
    let keys = 0;
    for (const k in ra) {
      if (!Object.hasOwn(rb, k) || !same(ra[k], rb[k])) return false;
      keys++;
    }
    for (const _ in rb) keys--;
    return keys === 0;
  };
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    if (!same(actual[i], expected[i])) expect.fail(`tick ${i} differs:\n  got      ${inspect(actual[i])}\n  expected ${inspect(expected[i])}`);
  }
  expect(actual.length).toBe(expected.length);
}

/** A fresh temporary directory per test file, removed afterwards. */
export function tempDir(): () => string {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => (dir ??= mkdtempSync(join(tmpdir(), 'recording-')));
}

export function writeRecording(path: string, ticks: readonly Tick[], opts: WriterOptions = {}): void {
  const w = createRecordingWriter(path, { sync: false, ...opts });
  for (const t of ticks) w.append(t);
  w.close();
}
