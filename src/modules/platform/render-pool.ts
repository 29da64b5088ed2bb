/**
 * Rendering documents (PDF, XLSX) on every core: a run that makes thousands of files (the statement run, the
 * settlement run's payment advices) hands each document's data to a pool of worker threads, each of which
 * loads the renderers once (modules, fonts) and renders one document after another, while the main thread
 * reads the next documents' data from PostgreSQL and stores the finished files.
 *
 * A renderer is named by the module that exports it and its export name, and takes plain data (structured
 * clone: strings, numbers, arrays, objects) and returns the file. Small runs render in the calling thread:
 * starting a thread costs more than a few documents. `CLEARHOUSE_RENDER_THREADS` sets the number of threads
 * (default: one per core; 0 renders in the calling thread).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export interface Renderer {
  /** Renders `arg` with the export `fn` of `module` (a file URL) and returns the file. */
  render(module: string, fn: string, arg: unknown): Promise<Buffer>;
  /** How many documents are worth having in flight at once (more keeps every thread busy). */
  readonly width: number;
}

/** Runs below this many documents render in the calling thread. */
const minDocumentsForThreads = 40;

export function renderThreads(): number {
  const raw = process.env.CLEARHOUSE_RENDER_THREADS;
  if (raw === undefined || raw.trim() === '') return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`CLEARHOUSE_RENDER_THREADS must be a whole number ≥ 0, not ${JSON.stringify(raw)}`);
  return n;
}

type Render = (arg: unknown) => Promise<Buffer> | Buffer;

/** The export `fn` of `module`, which renders a document. */
export async function loadRenderer(module: string, fn: string): Promise<Render> {
  const m = (await import(module)) as Record<string, unknown>;
  const f = m[fn];
  if (typeof f !== 'function') throw new Error(`${module} exports no renderer ${fn}`);
  return f as Render;
}

const inThread: Renderer = {
  width: 1,
  async render(module, fn, arg) {
    return (await loadRenderer(module, fn))(arg);
  },
};

interface Pending {
  resolve(file: Buffer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

class ThreadPool implements Renderer {
  readonly width: number;
  private readonly slots: Slot[];
  private next = 1;

  constructor(threads: number) {
    this.width = threads * 2;
    this.slots = Array.from({ length: threads }, () => {
      // A document's rendering needs little memory at a time: a small young generation keeps each thread's
      // footprint (and the process's) small.
      const worker = new Worker(new URL('./render-worker.ts', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 },
      });
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (m: { id: number; file?: Uint8Array; error?: string; stack?: string }) => {
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        if (m.file) p.resolve(Buffer.from(m.file.buffer, m.file.byteOffset, m.file.byteLength));
        else p.reject(Object.assign(new Error(m.error ?? 'rendering failed'), { stack: m.stack }));
      });
      const failAll = (err: Error) => {
        for (const p of slot.pending.values()) p.reject(err);
        slot.pending.clear();
      };
      worker.on('error', failAll);
      worker.on('exit', (code) => failAll(new Error(`a rendering thread stopped (exit code ${code})`)));
      return slot;
    });
  }

  render(module: string, fn: string, arg: unknown): Promise<Buffer> {
    // The thread with the fewest documents waiting.
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.next++;
    return new Promise<Buffer>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, module, fn, arg });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * Gives `fn` a renderer for a run of about `documents` documents: threads for a large run (closed when `fn`
 * ends), the calling thread for a small one.
 */
export async function withRenderer<T>(documents: number, fn: (renderer: Renderer) => Promise<T>): Promise<T> {
  const threads = renderThreads();
  if (threads === 0 || documents < minDocumentsForThreads) return fn(inThread);
  const pool = new ThreadPool(threads);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

/**
 * Maps `items` through `work` with up to `width` items in flight, results in the items' order. On the first
 * error no new item starts; the error is thrown once the ones in flight have ended.
 */
export async function mapInFlight<I, O>(
  items: readonly I[],
  width: number,
  work: (item: I, index: number) => Promise<O>,
): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  let failure: { err: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(width, items.length)) }, async () => {
      while (!failure && next < items.length) {
        const i = next++;
        try {
          out[i] = await work(items[i]!, i);
        } catch (err) {
          failure ??= { err };
        }
      }
    }),
  );
  if (failure) throw failure.err;
  return out;
}
