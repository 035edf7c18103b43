/**
 * One terminal stream shared by the progress line and the log lines written to it. A progress line is drawn with `\r`
 * and no newline; a log line written over it would start in the middle of it ("  replaying: 50,000 ticks{"level":…").
 * So every line goes through `write`: when a status line is showing, it is erased first (`\r` + erase line) and drawn
 * again below the new text, in the same single `write` call (no flicker, and nothing can come in between).
 */

/** What is needed of a stream: `process.stderr`, or a fake in tests (`{ isTTY: true, write(s) { … } }`). */
export interface TerminalStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface Terminal {
  readonly stream: TerminalStream;
  /** Writes whole lines (ending in "\n") above the status line, which stays at the bottom. */
  write(text: string): void;
  /** Shows `line` as the status line (replacing the one showing). */
  status(line: string): void;
  /** Erases the status line; later writes go where it was. */
  clearStatus(): void;
  /** The status line showing, if any. */
  readonly statusLine: string | undefined;
}

/** Return to column 0 and erase the line. */
export const ERASE_LINE = '\r\x1b[2K';

const terminals = new WeakMap<TerminalStream, Terminal>();

/** The one Terminal of `stream` (the progress display and the logger of the same stream share its status line). */
export function terminalFor(stream: TerminalStream): Terminal {
  let t = terminals.get(stream);
  if (t === undefined) {
    t = createTerminal(stream);
    terminals.set(stream, t);
  }
  return t;
}

function createTerminal(stream: TerminalStream): Terminal {
  let shown: string | undefined;
  return {
    stream,
    get statusLine() {
      return shown;
    },
    write(text) {
      if (shown === undefined) stream.write(text);
      else stream.write(`${ERASE_LINE}${text}${shown}`);
    },
    status(line) {
      shown = line;
      stream.write(`${ERASE_LINE}${line}`);
    },
    clearStatus() {
      if (shown === undefined) return;
      shown = undefined;
      stream.write(ERASE_LINE);
    },
  };
}
