/**
 * Files are read as text only when they are text: a byte scan of each chunk as it streams past (no parse,
 * so a load of millions of rows keeps its speed) refuses what would otherwise be stored changed or crash the
 * load, naming the line:
 *
 * - invalid UTF-8 (a stray Latin-1 byte, a sequence cut short): refused, never replaced by U+FFFD;
 * - a NUL byte: refused (PostgreSQL text cannot hold it);
 * - UTF-16 with a byte-order mark (what Excel's "Unicode text" writes): decoded and read as UTF-8;
 * - UTF-16 without a byte-order mark: refused, asking for UTF-8;
 * - a UTF-8 byte-order mark is dropped.
 *
 * Chunks are checked with `buffer.isUtf8` and `indexOf(0)` (native scans); the line of a problem is worked out
 * only when there is one.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';

/** A file that cannot be read as it is: the line (1 = first line of the file) and why. */
export class FileProblem extends Error {
  readonly line: number | null;
  readonly reason: string;
  readonly column: string | null;
  /** Where in the file (bytes from its start) the problem is, when its line is still to be counted. */
  readonly byteOffset: number | null;
  constructor(
    line: number | null,
    reason: string,
    column: string | null = null,
    byteOffset: number | null = null,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.line = line;
    this.reason = reason;
    this.column = column;
    this.byteOffset = byteOffset;
  }
}

function countNewlines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    if (i + n >= buf.length) return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return buf.length;
}

/** Where the last, possibly incomplete, UTF-8 sequence of `buf` starts when it is cut short; else its length. */
function completeUpTo(buf: Buffer): number {
  let i = buf.length - 1;
  while (i >= 0 && i > buf.length - 4 && (buf[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return buf.length;
  const b = buf[i]!;
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return buf.length - i < need ? i : buf.length;
}

/** Bytes that look like UTF-16 without a byte-order mark: ASCII text with every other byte a NUL. */
function looksLikeUtf16(head: Buffer): boolean {
  const n = Math.min(head.length, 512);
  if (n < 4) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) if (head[i] === 0) i % 2 === 0 ? even++ : odd++;
  return Math.max(even, odd) >= n / 4;
}

const utf16Advice =
  'the file is UTF-16 text without a byte-order mark: save it as CSV UTF-8 (or as UTF-16 with a byte-order mark)';

/**
 * Checks text chunk by chunk. `push` returns the UTF-8 bytes that are complete so far (UTF-16 decoded),
 * `end` what is left; both throw a FileProblem. UTF-8 is checked without counting lines (counting costs more
 * than the check): a problem carries its byte offset, and its line is counted from the file only then
 * (`lineAt`). Decoded UTF-16 counts its lines as it goes.
 */
export class TextCheck {
  /** UTF-16: lines ended so far in the decoded text. */
  private lines = 0;
  /** UTF-8: bytes of the file before the buffer being checked. */
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);
  private started = false;
  private utf16: { decode(input: Buffer, options: { stream: boolean }): string } | undefined;

  push(chunk: Buffer): Buffer {
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    if (!this.started) {
      if (buf.length < 3 && buf.length > 0 && (buf[0] === 0xff || buf[0] === 0xfe || buf[0] === 0xef)) {
        this.carry = buf; // too short to tell the byte-order mark yet
        return Buffer.alloc(0);
      }
      this.started = true;
      if (buf[0] === 0xff && buf[1] === 0xfe) this.utf16 = new TextDecoder('utf-16le', { fatal: true });
      else if (buf[0] === 0xfe && buf[1] === 0xff) this.utf16 = new TextDecoder('utf-16be', { fatal: true });
      else if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.offset = 3;
      } else if (looksLikeUtf16(buf)) throw new FileProblem(1, utf16Advice);
    }
    if (this.utf16) return this.decodeUtf16(buf, false);
    const cut = completeUpTo(buf);
    this.carry = Buffer.from(buf.subarray(cut));
    return this.checkUtf8(buf.subarray(0, cut));
  }

  end(): Buffer {
    if (this.utf16) return this.decodeUtf16(Buffer.alloc(0), true);
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    if (!this.started) {
      this.started = true;
      return this.checkUtf8(rest);
    }
    if (rest.length > 0)
      throw this.utf8Problem(0, 'is not UTF-8 text: the file ends in the middle of a character');
    return rest;
  }

  private utf8Problem(at: number, reason: string): FileProblem {
    return new FileProblem(null, reason, null, this.offset + at);
  }

  private checkUtf8(buf: Buffer): Buffer {
    const nul = buf.indexOf(0);
    if (nul >= 0) throw this.utf8Problem(nul, 'contains a NUL byte (0x00): the file is not plain text');
    if (!isUtf8(buf)) {
      const bad = firstInvalidUtf8(buf);
      throw this.utf8Problem(
        bad,
        `is not UTF-8 text (byte 0x${buf[bad]!.toString(16).padStart(2, '0')} cannot start or continue a ` +
          'character): save the file as CSV UTF-8',
      );
    }
    this.offset += buf.length;
    return buf;
  }

  private decodeUtf16(buf: Buffer, last: boolean): Buffer {
    let text: string;
    try {
      text = this.utf16!.decode(buf, { stream: !last });
    } catch {
      throw new FileProblem(this.lines + 1, 'is not valid UTF-16 text (a broken surrogate pair)');
    }
    const out = Buffer.from(text, 'utf8');
    const nul = out.indexOf(0);
    if (nul >= 0)
      throw new FileProblem(
        this.lines + countNewlines(out, nul) + 1,
        'contains a NUL character: the file is not plain text',
      );
    this.lines += countNewlines(out);
    return out;
  }
}

/** The line of a byte of a file: 1 + the line breaks before it. */
export async function lineAt(path: string, byteOffset: number): Promise<number> {
  let lines = 1;
  if (byteOffset <= 0) return lines;
  for await (const chunk of fs.createReadStream(path, { end: byteOffset - 1 }))
    lines += countNewlines(chunk as Buffer);
  return lines;
}

/** The problem with its line counted, when it has only its offset. */
async function located(err: unknown, lineOf: (byteOffset: number) => Promise<number>): Promise<unknown> {
  if (!(err instanceof FileProblem) || err.line !== null || err.byteOffset === null) return err;
  return new FileProblem(await lineOf(err.byteOffset), err.reason, err.column);
}

/** The chunks of a file, checked (and UTF-16 decoded) as they pass. */
export async function* checkedText(path: string, highWaterMark = 64 * 1024): AsyncGenerator<Buffer> {
  const check = new TextCheck();
  try {
    for await (const chunk of fs.createReadStream(path, { highWaterMark })) {
      const out = check.push(chunk as Buffer);
      if (out.length > 0) yield out;
    }
    const rest = check.end();
    if (rest.length > 0) yield rest;
  } catch (err) {
    throw await located(err, (offset) => lineAt(path, offset));
  }
}

/** A whole file's text, checked the same way. */
export function checkedTextOf(buf: Buffer): string {
  const check = new TextCheck();
  try {
    return Buffer.concat([check.push(buf), check.end()]).toString('utf8');
  } catch (err) {
    if (err instanceof FileProblem && err.line === null && err.byteOffset !== null)
      throw new FileProblem(countNewlines(buf, err.byteOffset) + 1, err.reason, err.column);
    throw err;
  }
}
