/**
 * A short, bounded excerpt of an untrusted value for a log line (DESIGN.md: "a bad message is a logged error with the
 * venue and a short, bounded excerpt"). `JSON.stringify(v).slice(0, n)` is neither: it throws RangeError on a deeply
 * nested frame (`[[[…]]]` 100k levels) and serialises a whole megabyte to keep 200 characters of it.
 *
 * `excerpt` never throws and does work in proportion to `maxChars`, not to the value: the walk is iterative (an explicit
 * stack, so depth cannot overflow the call stack) and stops as soon as `maxChars` characters are written; strings and
 * keys are cut before they are quoted; a value met again inside itself is written "[Circular]". The result has at most
 * `maxChars` characters and ends in "…" when it was cut. A string is quoted as it is (it is usually a frame's raw
 * text); anything else is written JSON-like (undefined, NaN, bigint and functions are shown rather than dropped).
 */

const ELLIPSIS = '…';

interface Open {
  readonly value: object;
  readonly close: string;
  readonly entries: Iterator<readonly [key: string | undefined, value: unknown]>;
  first: boolean;
}

/** Keeps at most `limit` + 1 characters: the extra one tells that the text was cut. */
class Output {
  private readonly parts: string[] = [];
  private length = 0;
  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.length > this.limit;
  }

  /** Characters still wanted (one more than fits, to detect the cut). */
  get room(): number {
    return Math.max(0, this.limit + 1 - this.length);
  }

  push(s: string): void {
    if (this.full) return;
    const part = s.length > this.room ? s.slice(0, this.room) : s;
    this.parts.push(part);
    this.length += part.length;
  }

  text(cut: boolean): string {
    const all = this.parts.join('');
    return cut || all.length > this.limit ? all.slice(0, this.limit - ELLIPSIS.length) + ELLIPSIS : all;
  }
}

export function excerpt(value: unknown, maxChars: number): string {
  const limit = Math.max(ELLIPSIS.length, Math.floor(Number.isFinite(maxChars) ? maxChars : 0));
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit - ELLIPSIS.length) + ELLIPSIS : value;
  const out = new Output(limit);
  try {
    walk(value, out);
    return out.text(false);
  } catch {
    // a throwing getter or proxy trap: keep what was written
    return out.text(true);
  }
}

function walk(root: unknown, out: Output): void {
  const stack: Open[] = [];
  const ancestors = new Set<object>();
  const write = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return out.push(scalar(v, out.room));
    if (ancestors.has(v)) return out.push('"[Circular]"');
    const special = opaque(v, out.room);
    if (special !== undefined) return out.push(special);
    const isArray = Array.isArray(v);
    out.push(isArray ? '[' : '{');
    ancestors.add(v);
    stack.push({ value: v, close: isArray ? ']' : '}', entries: isArray ? items(v as unknown[]) : fields(v), first: true });
  };

  write(root);
  while (stack.length > 0 && !out.full) {
    const top = stack[stack.length - 1]!;
    const next = top.entries.next();
    if (next.done) {
      out.push(top.close);
      ancestors.delete(top.value);
      stack.pop();
      continue;
    }
    if (!top.first) out.push(',');
    top.first = false;
    const [key, v] = next.value;
    if (key !== undefined) out.push(`${quote(key, out.room)}:`);
    write(v);
  }
}

function* items(a: readonly unknown[]): Iterator<readonly [undefined, unknown]> {
  for (let i = 0; i < a.length; i++) yield [undefined, a[i]];
}

function* fields(o: object): Iterator<readonly [string, unknown]> {
  for (const k in o) if (Object.hasOwn(o, k)) yield [k, (o as Record<string, unknown>)[k]];
}

/** JSON string of `s` cut to what can still be written (so a megabyte string is never quoted whole). */
function quote(s: string, room: number): string {
  return JSON.stringify(s.length > room ? s.slice(0, room) : s);
}

function scalar(v: unknown, room: number): string {
  switch (typeof v) {
    case 'string':
      return quote(v, room);
    case 'bigint':
      return `${v}n`;
    case 'function':
      return '[Function]';
    case 'symbol':
      return v.toString();
    default:
      return String(v);
  }
}

/** Objects written as one token instead of walked: dates, errors, binary data. */
function opaque(v: object, room: number): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '"Invalid Date"' : quote(v.toISOString(), room);
  if (v instanceof Error) return quote(`${v.name}: ${v.message}`, room);
  if (ArrayBuffer.isView(v)) return `"[${v.constructor.name} of ${v.byteLength} bytes]"`;
  if (v instanceof ArrayBuffer) return `"[ArrayBuffer of ${v.byteLength} bytes]"`;
  return undefined;
}
