/**
 * Exporting a batch's files to its folder, after the run that made the batch committed: a payment file can
 * only exist for a batch that does. Files are read from what is stored with the batch (payment_batch_files),
 * written into a hidden folder inside the target folder (so on the same file system) under a `.part` name,
 * made durable, and only once every file of the batch is written renamed into place; the batch is then
 * marked exported. The batch row is locked meanwhile, so two processes never export it at once, and a
 * batch is exported into its own folder only: however often an interrupted export is repeated, each file
 * has one path and the same content.
 *
 * A batch held for release is exported when it is released, not before: no bank file of a payment an
 * approver has not released reaches the folder.
 *
 * A run killed after its commit leaves its batches unexported (and perhaps some of their files already in
 * place, identical to what the export writes again); every run starts by exporting such batches.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/db.ts';

export interface ExportedBatch {
  batch_id: string;
  dir: string;
  files: string[];
  /** Why the files of a batch left by an earlier run could not be written (it stays pending). */
  error?: string;
}

/** A batch held for release that was not released (waiting, or reversed before it was): no files out. */
const neverReleased = `(status = 'draft' or (status = 'reversed' and release_required and released_at is null))`;

/** The hidden folder a batch's files are written to before they are moved into place. */
export const partialPrefix = '.clearhouse-partial-';

/** In-process test hooks by phase (a test holds a run at a point while it starts a competitor). */
export const settlementTestHooks: Record<string, (() => Promise<void>) | undefined> = {};

/**
 * Test hook: with CLEARHOUSE_TEST_SETTLEMENT_PAUSE set to a phase, the process writes the phase to
 * CLEARHOUSE_TEST_SETTLEMENT_PAUSE_FILE and waits there forever, so a test can kill it at that point.
 */
export async function pausePoint(phase: string): Promise<void> {
  await settlementTestHooks[phase]?.();
  if (process.env.CLEARHOUSE_TEST_SETTLEMENT_PAUSE !== phase) return;
  const marker = process.env.CLEARHOUSE_TEST_SETTLEMENT_PAUSE_FILE;
  if (marker) fs.writeFileSync(marker, phase);
  await new Promise(() => setInterval(() => undefined, 60_000));
}

function writeDurably(file: string, content: Buffer): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not every platform can sync a directory
  }
}

/** Exports one batch unless it is exported already; returns its files either way (null: no such batch). */
async function exportBatch(db: Db, batchId: string): Promise<ExportedBatch | null> {
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{
      export_dir: string | null;
      exported_at: Date | null;
      files: string[];
      held: boolean;
    }>(
      `select export_dir, exported_at, files, ${neverReleased} as held from payment_batches
        where batch_id = $1 for update`,
      [batchId],
    );
    const batch = rows[0];
    if (!batch?.export_dir || batch.held) return null;
    const dir = batch.export_dir;
    if (batch.exported_at) return { batch_id: batchId, dir, files: batch.files };
    fs.mkdirSync(dir, { recursive: true });
    const partial = path.join(dir, `${partialPrefix}${batchId}`);
    fs.rmSync(partial, { recursive: true, force: true }); // what an interrupted export of this batch left
    fs.mkdirSync(partial);
    try {
      // The bank and receivables files first, then the advices; read in pages, never all at once.
      const names: string[] = [];
      let after: [boolean, string] = [false, ''];
      for (;;) {
        const page = await tx.query<{ file_name: string; advice: boolean; content: Buffer }>(
          `select file_name, kind = 'advice' as advice, content from payment_batch_files
           where batch_id = $1 and (kind = 'advice', file_name) > ($2::boolean, $3::text)
           order by kind = 'advice', file_name limit 100`,
          [batchId, ...after],
        );
        for (const f of page.rows) {
          writeDurably(path.join(partial, `${f.file_name}.part`), f.content);
          names.push(f.file_name);
        }
        if (page.rows.length < 100) break;
        const last = page.rows[page.rows.length - 1]!;
        after = [last.advice, last.file_name];
      }
      syncDir(partial);
      const files: string[] = [];
      for (const name of names) {
        const target = path.join(dir, name);
        fs.renameSync(path.join(partial, `${name}.part`), target);
        files.push(target);
        if (files.length === 1) await pausePoint('exporting');
      }
      syncDir(dir);
      await tx.query('update payment_batches set exported_at = now(), files = $2 where batch_id = $1', [
        batchId,
        files,
      ]);
      return { batch_id: batchId, dir, files };
    } finally {
      fs.rmSync(partial, { recursive: true, force: true });
    }
  });
}

/** Exports the batches (each in a transaction of its own, so what is done stays done). */
export async function exportBatches(db: Db, batchIds: readonly string[]): Promise<ExportedBatch[]> {
  const done: ExportedBatch[] = [];
  for (const id of batchIds) {
    const exported = await exportBatch(db, id);
    if (exported) done.push(exported);
  }
  return done;
}

/**
 * The committed batches whose export was interrupted, exported now. A folder that cannot be written (gone
 * read-only, another machine's path) is reported and the batch stays pending: it does not stop a new run.
 */
export async function exportPending(db: Db): Promise<ExportedBatch[]> {
  const { rows } = await db.query<{ batch_id: string; export_dir: string }>(
    `select batch_id, export_dir from payment_batches where exported_at is null and export_dir is not null
       and not ${neverReleased}
     order by batch_id`,
  );
  const done: ExportedBatch[] = [];
  for (const r of rows) {
    try {
      const exported = await exportBatch(db, r.batch_id);
      if (exported) done.push(exported);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (!e.syscall) throw err; // not the file system: a database error, say
      done.push({ batch_id: r.batch_id, dir: r.export_dir, files: [], error: e.message });
    }
  }
  return done;
}
