/**
 * Reads one NDJSON line that is a flat object (string, number, boolean or null values) into cells by slot, without
 * JSON.parse: numbers are kept as their source text, strings as their text. Lines it cannot read this way (escapes,
 * nested values, unusual spacing or syntax) go through JSON.parse.
 */
export type Cells = (string | undefined)[];

/** Fills `cells[slotOf(key)]` for the keys of interest; returns false when the line needs JSON.parse. */
export function readFlatJson(s: string, slotOf: ReadonlyMap<string, number>, cells: Cells): boolean {
  if (s.indexOf('\\') >= 0) return false;
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) <= 32) i++;
  if (s.charCodeAt(i) !== 123 /* { */) return false;
  i++;
  while (i < n && s.charCodeAt(i) <= 32) i++;
  if (s.charCodeAt(i) === 125 /* } */) return rest(s, i + 1);
  for (;;) {
    if (s.charCodeAt(i) !== 34) return false;
    const q = s.indexOf('"', i + 1);
    if (q < 0) return false;
    const slot = slotOf.get(s.slice(i + 1, q));
    i = q + 1;
    while (s.charCodeAt(i) === 32) i++;
    if (s.charCodeAt(i) !== 58 /* : */) return false;
    i++;
    while (s.charCodeAt(i) === 32) i++;
    const c = s.charCodeAt(i);
    let value: string | undefined;
    if (c === 34) {
      const e = s.indexOf('"', i + 1);
      if (e < 0) return false;
      value = s.slice(i + 1, e);
      i = e + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      for (let d = s.charCodeAt(j); (d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45; d = s.charCodeAt(++j));
      value = s.slice(i, j);
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
    cells[slot] = v === null || v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return undefined;
}
