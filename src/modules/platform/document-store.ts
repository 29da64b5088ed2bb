import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where document content lives, addressed by its SHA-256. The file system store keeps it under
 * CLEARHOUSE_HOME; an S3-compatible store implements the same three calls.
 */
export interface DocumentStore {
  /** Streams content in, returning its hash and size; content already stored is kept once. */
  put(content: Readable): Promise<{ sha256: string; size: number; head: Buffer }>;
  get(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
}

const headBytes = 4100; // enough for content sniffing

export function fileSystemStore(root: string): DocumentStore {
  const blobPath = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    async put(content) {
      fs.mkdirSync(path.join(root, 'incoming'), { recursive: true });
      const temp = path.join(root, 'incoming', randomBytes(8).toString('hex'));
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
      const sha256 = hash.digest('hex');
      const final = blobPath(sha256);
      if (fs.existsSync(final)) {
        fs.rmSync(temp);
      } else {
        fs.mkdirSync(path.dirname(final), { recursive: true });
        fs.renameSync(temp, final);
      }
      return { sha256, size, head: Buffer.concat(heads).subarray(0, headBytes) };
    },
    get(sha256) {
      return fs.createReadStream(blobPath(sha256));
    },
    async has(sha256) {
      return fs.existsSync(blobPath(sha256));
    },
  };
}
