/**
 * A rendering thread (render-pool.ts): renders one document after another with the renderers it loads once,
 * and hands each file back without copying it again.
 */
import { parentPort } from 'node:worker_threads';
import { loadRenderer } from './render-pool.ts';

if (!parentPort) throw new Error('render-worker.ts runs as a worker thread');
const port = parentPort;

port.on('message', async (m: { id: number; module: string; fn: string; arg: unknown }) => {
  try {
    const file = await (await loadRenderer(m.module, m.fn))(m.arg);
    // A small Buffer may share its memory with others: hand over a copy of its own.
    const own = new Uint8Array(file.byteLength);
    own.set(file);
    port.postMessage({ id: m.id, file: own }, [own.buffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ id: m.id, error: e.message, stack: e.stack });
  }
});
