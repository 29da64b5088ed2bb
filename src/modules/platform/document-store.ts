import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What is known of content once it has streamed in, before it is kept. */
export interface ContentInfo {
  sha256: string;
  size: number;
  head: Buffer;
}

/**
 * Where document content lives, addressed by its SHA-256. The file system store keeps it under
 * CLEARHOUSE_HOME; an S3-compatible store implements the same calls.
 *
 * Content is kept only once it is accepted: `put` streams it to a temporary place, calls `accept` (which
 * throws to refuse it: too large, empty, a type not allowed) and only then moves it into place. Refused
 * content, content whose stream failed (a client that went away) and content cut at the size limit leave
 * nothing behind.
 */
export interface DocumentStore {
  /** Streams content in, returning its hash and size; content already stored is kept once. */
  put(
    content: Readable,
    accept?: (info: ContentInfo) => void | Promise<void>,
  ): Promise<ContentInfo & { created: boolean }>;
  get(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  /** Removes content no document refers to (a put whose record could not be written). */
  remove(sha256: string): Promise<void>;
}

const headBytes = 4100; // enough for content sniffing

/** Temporary files older than this in `incoming/` belong to no upload still running (a crash left them). */
const staleIncomingMs = 60 * 60 * 1000;

function sweepIncoming(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - staleIncomingMs;
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
}

export function fileSystemStore(root: string): DocumentStore {
  const blobPath = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  const incoming = path.join(root, 'incoming');
  sweepIncoming(incoming);
  return {
    async put(content, accept) {
      fs.mkdirSync(incoming, { recursive: true });
      const temp = path.join(incoming, randomBytes(8).toString('hex'));
      try {
        const hash = createHash('sha256');
        let size = 0;
        const heads: Buffer[] = [];
        let headSize = 0;
        content.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          size += chunk.length;
          if (headSize < headBytes) {
            heads.push(chunk);
            headSize += chunk.length;
          }
        });
        await pipeline(content, fs.createWriteStream(temp));
        const info = { sha256: hash.digest('hex'), size, head: Buffer.concat(heads).subarray(0, headBytes) };
        await accept?.(info);
        const final = blobPath(info.sha256);
        if (fs.existsSync(final)) return { ...info, created: false };
        fs.mkdirSync(path.dirname(final), { recursive: true });
        fs.renameSync(temp, final);
        return { ...info, created: true };
      } finally {
        fs.rmSync(temp, { force: true });
      }
    },
    get(sha256) {
      return fs.createReadStream(blobPath(sha256));
    },
    async has(sha256) {
      return fs.existsSync(blobPath(sha256));
    },
    async remove(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return;
      fs.rmSync(blobPath(sha256), { force: true });
    },
  };
}
