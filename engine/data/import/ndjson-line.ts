/**
 * Reads one NDJSON line that is a flat object (string, number, boolean or null values) into cells by slot, without
 * JSON.parse: plain numbers of up to 15 digits are read from their character codes (the same double JSON.parse gives),
 * other numbers are kept as their source text, strings as their text. Lines it cannot read this way (escapes, nested
 * values, unusual syntax) go through JSON.parse.
 */
import { POW10 } from './exact.js';

/** One row's values by slot: text, a number already read, or undefined (absent). */
export type Cells = (string | number | undefined)[];

/**
 * Key lookup with a memory of the previous line's keys in order: lines of one file share their keys, so the k-th key
 * is first compared in place with the k-th key of the line before (no string is cut out for it).
 */
export class KeySlots {
  private readonly keys: string[] = [];
  private readonly slots: (number | undefined)[] = [];
  constructor(readonly slotOf: ReadonlyMap<string, number>) {}

  /** Slot of the key that starts at `at` (after its opening quote) as the k-th key; `end` gets its closing quote. */
  find(s: string, at: number, k: number): number | undefined {
    const prev = this.keys[k];
    if (prev !== undefined) {
      const len = prev.length;
      let j = 0;
      while (j < len && s.charCodeAt(at + j) === prev.charCodeAt(j)) j++;
      if (j === len && s.charCodeAt(at + len) === 34) {
        this.end = at + len;
        return this.slots[k];
      }
    }
    const q = s.indexOf('"', at);
    if (q < 0) {
      this.end = -1;
      return undefined;
    }
    const key = s.slice(at, q);
    const slot = this.slotOf.get(key);
    this.keys[k] = key;
    this.slots[k] = slot;
    this.end = q;
    return slot;
  }

  /** Position of the closing quote of the key last found (-1: none). */
  end = -1;
}

/** Fills `cells[slot]` for the keys of interest; returns false when the line needs JSON.parse. */
export function readFlatJson(s: string, keys: KeySlots, cells: Cells): boolean {
  if (s.indexOf('\\') >= 0) return false;
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) <= 32) i++;
  if (s.charCodeAt(i) !== 123 /* { */) return false;
  i++;
  while (i < n && s.charCodeAt(i) <= 32) i++;
  if (s.charCodeAt(i) === 125 /* } */) return rest(s, i + 1);
  for (let k = 0; ; k++) {
    if (s.charCodeAt(i) !== 34) return false;
    const slot = keys.find(s, i + 1, k);
    if (keys.end < 0) return false;
    i = keys.end + 1;
    while (s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) !== 58 /* : */) return false;
    i++;
    while (s.charCodeAt(i) === 32) i++;
    const c = s.charCodeAt(i);
    let value: string | number | undefined;
    if (c === 34) {
      const e = s.indexOf('"', i + 1);
      if (e < 0) return false;
      value = s.slice(i + 1, e);
      i = e + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = c === 45 ? i + 1 : i;
      let int = 0;
      let digits = 0;
      let frac = -1;
      for (;; j++) {
        const d = s.charCodeAt(j);
        if (d >= 48 && d <= 57) {
          int = int * 10 + (d - 48);
          digits++;
          if (frac >= 0) frac++;
        } else if (d === 46 && frac < 0) {
          frac = 0;
        } else {
          break;
        }
      }
      const d = s.charCodeAt(j);
      if (digits === 0 || digits > 15 || d === 101 || d === 69) {
        for (let e = s.charCodeAt(j); (e >= 48 && e <= 57) || e === 46 || e === 101 || e === 69 || e === 43 || e === 45; e = s.charCodeAt(++j));
        value = s.slice(i, j);
      } else {
        const v = frac > 0 ? int / POW10[frac]! : int;
        value = c === 45 ? -v : v;
      }
      i = j;
    } else if (s.startsWith('true', i)) {
      value = 'true';
      i += 4;
    } else if (s.startsWith('false', i)) {
      value = 'false';
      i += 5;
    } else if (s.startsWith('null', i)) {
      value = undefined;
      i += 4;
    } else {
      return false;
    }
    if (slot !== undefined) cells[slot] = value;
    while (s.charCodeAt(i) === 32) i++;
    const sep = s.charCodeAt(i);
    if (sep === 44 /* , */) {
      i++;
      while (s.charCodeAt(i) === 32) i++;
      continue;
    }
    if (sep === 125) return rest(s, i + 1);
    return false;
  }
}

function rest(s: string, i: number): boolean {
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return i === s.length;
}

/** The JSON.parse path: returns an error text for a line that is not a JSON object. */
export function readJsonObject(s: string, slotOf: ReadonlyMap<string, number>, cells: Cells): string | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(s);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return 'not a JSON object';
  for (const [key, slot] of slotOf) {
    const v = (obj as Record<string, unknown>)[key];
    cells[slot] = v === null || v === undefined ? undefined : typeof v === 'number' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return undefined;
}
