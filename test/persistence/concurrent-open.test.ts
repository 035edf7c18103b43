import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION, schemaVersion } from '../../engine/persistence/index.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each child loads the engine, then spins until `at` (epoch ms) so that all of them open the file together. */
function openIn(child: number, file: string, at: number): Promise<{ code: number | null; err: string }> {
  const script = `import { openDatabase } from ${JSON.stringify(resolve('engine/persistence/index.ts'))};
    while (Date.now() < ${at}) {}
    openDatabase(${JSON.stringify(file)}).close();`;
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('close', (code) => done({ code, err: `child ${child}: ${err}` }));
  });
}

describe('opening one new database from several processes at once (sweep workers)', () => {
  it('migrates it exactly once and every process opens it', async () => {
    const file = join(dir, 'shared.db');
    const at = Date.now() + 4_000;
    const results = await Promise.all([0, 1, 2, 3].map((i) => openIn(i, file, at)));
    expect(results.filter((r) => r.code !== 0).map((r) => r.err)).toEqual([]);
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  }, 60_000);
});
