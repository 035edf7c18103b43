/**
 * Reads lines from byte chunks without splitting the whole text: each chunk is decoded up to its last newline (always
 * a UTF-8 character boundary) and lines are cut from that text with indexOf. CRLF and a leading BOM are handled.
 */
export class LineReader {
  /** 1-based number of the line last returned. */
  lineNo = 0;
  private text = '';
  private pos = 0;
  private carry: Buffer | undefined;
  private done = false;
  private first = true;
  private readonly chunks: Iterator<Buffer>;

  constructor(chunks: Iterable<Buffer>) {
    this.chunks = chunks[Symbol.iterator]();
  }

  /** The next line without its line ending, or undefined at the end. */
  next(): string | undefined {
    for (;;) {
      const text = this.text;
      const nl = text.indexOf('\n', this.pos);
      if (nl >= 0) {
        const end = nl > this.pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        const line = text.slice(this.pos, end);
        this.pos = nl + 1;
        this.lineNo++;
        return line;
      }
      if (this.pos < text.length && this.done) {
        const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
        const line = text.slice(this.pos, end);
        this.pos = text.length;
        this.lineNo++;
        return line;
      }
      if (this.done || !this.fill()) return undefined;
    }
  }

  /** Stops reading (closes a file being read). */
  close(): void {
    this.done = true;
    this.chunks.return?.();
  }

  private fill(): boolean {
    const r = this.chunks.next();
    if (r.done) {
      this.done = true;
      this.setText(this.carry ? this.carry.toString('utf8') : '');
      this.carry = undefined;
      return this.text.length > 0;
    }
    const buf = this.carry ? Buffer.concat([this.carry, r.value]) : r.value;
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.carry = Buffer.from(buf);
      this.setText('');
      return true;
    }
    this.setText(buf.toString('utf8', 0, last + 1));
    this.carry = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : undefined;
    return true;
  }

  private setText(text: string): void {
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.text = text;
    this.pos = 0;
  }
}
