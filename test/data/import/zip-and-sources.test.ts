import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../engine/data/csv-ticks.js';
import { importTicks, listZipEntries, readZipEntry } from '../../../engine/data/import/index.js';
import { LineReader } from '../../../engine/data/import/lines.js';
import { makeZip } from './zip-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tick-import-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSV = 'ts,bid,ask\n1000,1.1,1.2\n2000,1.15,1.25\n';
const quotes = { kind: 'quotes', instrument: 'EURUSD.SIM' } as const;

function write(name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('zip archives', () => {
  it('reads a deflated and a stored CSV entry alike', () => {
    for (const method of [0, 8] as const) {
      const path = write(`q${method}.zip`, makeZip([{ name: 'q.csv', data: CSV, method }]));
      expect([...importTicks(path, quotes)].map((q) => q.tsEvent)).toEqual([1000, 2000]);
    }
  });

  it('refuses an entry with an unsupported compression method, naming the method', () => {
    const path = write('lzma.zip', makeZip([{ name: 'q.csv', data: CSV, method: 0, fakeMethod: 14 }]));
    expect(() => [...importTicks(path, quotes)]).toThrow(DataError);
    expect(() => [...importTicks(path, quotes)]).toThrow(/q\.csv: compression method 14 \(LZMA\) is not supported; only stored \(0\) and deflate \(8\)/);
  });

  it('refuses an encrypted entry', () => {
    const path = write('enc.zip', makeZip([{ name: 'q.csv', data: CSV, flags: 1 }]));
    expect(() => [...importTicks(path, quotes)]).toThrow(/encrypted/);
  });

  it('asks which entry to read when the zip holds several files, and reads the one named', () => {
    const path = write('two.zip', makeZip([{ name: 'a.csv', data: CSV }, { name: 'dir/b.csv', data: 'ts,bid,ask\n5,1,2\n' }]));
    expect(() => [...importTicks(path, quotes)]).toThrow(/holds 2 files \(a\.csv, dir\/b\.csv\); name the one to read with \{ path, entry \}/);
    expect([...importTicks({ path, entry: 'dir/b.csv' }, quotes)].map((q) => q.tsEvent)).toEqual([5]);
    expect(() => [...importTicks({ path, entry: 'c.csv' }, quotes)]).toThrow(/no entry "c\.csv"/);
  });

  it('detects a corrupt entry by its CRC', () => {
    const zip = makeZip([{ name: 'q.csv', data: CSV, method: 0 }]);
    const at = 30 + 'q.csv'.length + 5;
    zip[at] = zip[at]! ^ 0xff;
    expect(() => readZipEntry(zip, listZipEntries(zip, 'x.zip')[0]!, 'x.zip')).toThrow(/CRC-32 mismatch/);
  });

  it('says a file that is not a zip is not one', () => {
    const path = write('fake.zip', 'ts,bid,ask\n');
    expect(() => [...importTicks(path, quotes)]).toThrow(/not a zip archive/);
  });

  it('names the line of a bad row inside a zip as path!entry:line', () => {
    const path = write('bad.zip', makeZip([{ name: 'q.csv', data: 'ts,bid,ask\n1,1.1,1.2\n2,x,1.2\n' }]));
    expect(() => [...importTicks(path, quotes)]).toThrow(`${path}!q.csv:3: bid is not a number: "x" (2,x,1.2)`);
  });
});

describe('other sources', () => {
  it('reads .csv.gz and .ndjson.gz files', () => {
    const csv = write('q.csv.gz', gzipSync(CSV));
    const nd = write('q.ndjson.gz', gzipSync('{"ts":1000,"bid":1.1,"ask":1.2}\n'));
    expect([...importTicks(csv, quotes)]).toHaveLength(2);
    expect([...importTicks(nd, quotes)]).toHaveLength(1);
  });

  it('reads bytes already in memory, named for their format', () => {
    expect([...importTicks({ name: 'mem.csv', data: CSV }, quotes)]).toHaveLength(2);
    expect([...importTicks({ name: 'mem.zip', data: makeZip([{ name: 'q.jsonl', data: '{"ts":1,"bid":1,"ask":2}' }]) }, quotes)]).toHaveLength(1);
  });

  it('asks for the format when the file name does not tell it', () => {
    expect(() => importTicks('/tmp/quotes.txt', quotes)).toThrow(/cannot tell the format from the file name/);
    expect([...importTicks({ name: 'q.txt', data: CSV }, { ...quotes, format: 'csv' })]).toHaveLength(2);
  });

  it('reports a missing file as a DataError when iteration starts', () => {
    const result = importTicks(join(dir, 'missing.csv'), quotes);
    expect(() => [...result]).toThrow(/missing\.csv: cannot read: ENOENT/);
  });

  it('is lazy: nothing is read until iterated, and each iteration reads the file again with fresh counters', () => {
    const path = write('lazy.csv', CSV);
    const result = importTicks(path, quotes);
    expect(result.stats.rows).toBe(0);
    expect([...result]).toHaveLength(2);
    expect([...result]).toHaveLength(2);
    expect(result.stats).toMatchObject({ rows: 2, ticks: 2 });
  });
});

describe('line reading', () => {
  it('cuts lines across chunk boundaries, inside multi-byte characters, with CRLF, a BOM and no final newline', () => {
    const text = '\uFEFFa,é\r\n€uro,2\n\nlast';
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 5, 64]) {
      const chunks: Buffer[] = [];
      for (let p = 0; p < bytes.length; p += size) chunks.push(bytes.subarray(p, p + size));
      const reader = new LineReader(chunks);
      const lines: string[] = [];
      for (let l = reader.next(); l !== undefined; l = reader.next()) lines.push(l);
      expect(lines).toEqual(['a,é', '€uro,2', '', 'last']);
      expect(reader.lineNo).toBe(4);
    }
  });
});
