/**
 * The JSON examples of shared/venue-docs/apifiny-connect.txt. The document is a text rendering of the web page, so an
 * example is a block starting at a line whose first character is `{` or `[` followed by JSON (not `[default]`), running
 * to its balanced close. The examples are "JSON with notes": `//` comments, trailing commas, `……` placeholders, a
 * hexadecimal error code (0x02002B), non-breaking spaces and, once, two objects without a comma between them; those are cleaned before
 * JSON.parse. Each example keeps the label line before it ("Response:", "Request:", "Order Book Payload:" …) and its line
 * number, so tests can find the example that follows a marker (an endpoint path or a heading).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** APIFINY_DOC, else the shared venue documents next to the repository (/work/shared/venue-docs/). */
export const VENUE_DOC_PATH =
  process.env.APIFINY_DOC ?? fileURLToPath(new URL('../../../../shared/venue-docs/apifiny-connect.txt', import.meta.url));

export interface DocExample {
  /** 1-based line of the opening bracket. */
  readonly line: number;
  /** The nearest non-empty line above the block. */
  readonly label: string;
  readonly text: string;
  /** The parsed value, or undefined when it did not parse (see `error`). */
  readonly value: unknown;
  readonly error?: string;
}

/** Removes a `//` comment that is not inside a string. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== '\\') inString = !inString;
    else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** JSON text from an example: comments, placeholders, hex numbers, missing and trailing commas fixed. */
export function cleanExample(text: string): string {
  return text
    .split('\n')
    .map(stripComment)
    .join('\n')
    .replace(/\u00a0/g, ' ')
    .replace(/……|\.\.\. \.\.\./g, '')
    .replace(/\b0x([0-9a-fA-F]+)\b/g, (_, hex: string) => String(parseInt(hex, 16)))
    .replace(/}\s*{/g, '},{')
    .replace(/,(\s*[\]}])/g, '$1');
}

const looksLikeJsonStart = (rest: string): boolean => /^\s*(["{[\]}\d-]|\/\/|$)/.test(rest);

export function loadDocExamples(path = VENUE_DOC_PATH): DocExample[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (!(first.startsWith('{') || first.startsWith('[')) || !looksLikeJsonStart(first.slice(1))) continue;
    // balanced close, counting brackets outside strings and comments
    let depth = 0;
    let end = -1;
    for (let j = i; j < lines.length && end < 0; j++) {
      let inString = false;
      const l = stripComment(lines[j]!);
      for (let k = 0; k < l.length; k++) {
        const c = l[k];
        if (c === '"' && l[k - 1] !== '\\') inString = !inString;
        if (inString) continue;
        if (c === '{' || c === '[') depth++;
        if (c === '}' || c === ']') depth--;
        if (depth === 0) {
          end = j;
          break;
        }
      }
    }
    if (end < 0) continue;
    const text = lines.slice(i, end + 1).join('\n');
    let label = '';
    for (let j = i - 1; j >= 0 && label === ''; j--) label = lines[j]!.trim();
    try {
      out.push({ line: i + 1, label, text, value: JSON.parse(cleanExample(text)) });
    } catch (e) {
      out.push({ line: i + 1, label, text, value: undefined, error: (e as Error).message });
    }
    i = end;
  }
  return out;
}

/**
 * The first example after `marker` whose label starts with `label` (default "Response"; '' = any). A marker list is
 * followed in order: each is searched from the line where the previous one was found.
 */
export function exampleAfter(examples: readonly DocExample[], marker: string | readonly string[], label = 'Response', path = VENUE_DOC_PATH): unknown {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  let at = 0;
  for (const m of typeof marker === 'string' ? [marker] : marker) {
    const found = lines.findIndex((l, i) => i >= at && l.includes(m));
    if (found < 0) throw new Error(`marker "${m}" is not in the document after line ${at + 1}`);
    at = found;
  }
  const ex = examples.find((e) => e.line > at + 1 && e.label.startsWith(label));
  if (ex === undefined) throw new Error(`no "${label}" example after "${String(marker)}"`);
  if (ex.value === undefined) throw new Error(`the example at line ${ex.line} did not parse: ${ex.error}`);
  return ex.value;
}
