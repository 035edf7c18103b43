/** A stream that records what is written to it, as a terminal (`isTTY: true`) or a pipe, and what a screen would show. */
export interface FakeStream {
  readonly isTTY: boolean;
  readonly writes: string[];
  write(text: string): boolean;
  /** Everything written, joined. */
  text(): string;
  /** The lines a terminal would show: `\r` returns to column 0, `ESC[2K` erases the line, `\n` starts a new one. */
  screen(): string[];
}

export function fakeStream(isTTY: boolean): FakeStream {
  const writes: string[] = [];
  return {
    isTTY,
    writes,
    write(text) {
      writes.push(text);
      return true;
    },
    text: () => writes.join(''),
    screen: () => render(writes.join('')),
  };
}

/** ANSI colours removed (the pretty lines are coloured on a terminal). */
export const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

function render(text: string): string[] {
  const lines: string[][] = [[]];
  let col = 0;
  const s = plain(text);
  for (let i = 0; i < s.length; i++) {
    const line = lines[lines.length - 1]!;
    if (s.startsWith('\x1b[2K', i)) {
      line.length = 0;
      i += 3;
    } else if (s[i] === '\r') {
      col = 0;
    } else if (s[i] === '\n') {
      lines.push([]);
      col = 0;
    } else {
      line[col++] = s[i]!;
    }
  }
  return lines.map((l) => Array.from(l, (c) => c ?? ' ').join('')).filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** The top-level keys of one JSON line in order, duplicates kept (JSON.parse keeps only the last of a repeated key). */
export function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  const re = /"(?:[^"\\]|\\.)*"|[{}[\]]/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const t = m[0];
    if (t === '{' || t === '[') depth++;
    else if (t === '}' || t === ']') depth--;
    else if (depth === 1 && line.slice(re.lastIndex).trimStart().startsWith(':')) keys.push(JSON.parse(t) as string);
  }
  return keys;
}

export const duplicates = (keys: readonly string[]): string[] => keys.filter((k, i) => keys.indexOf(k) !== i);
