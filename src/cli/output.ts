import { SingleBar } from 'cli-progress';
import { ZodError } from 'zod';
import { AppError } from '../core/errors.ts';

/** Shared CLI machinery: --json output, exit codes (0 ok, 1 your input, 2 ours), progress bars. */
export interface Output {
  json: boolean;
  /** A result: JSON on stdout with --json, otherwise the human text. */
  result(value: unknown, human: () => string): void;
  info(line: string): void;
  table(rows: Record<string, unknown>[], columns: string[]): string;
  progress(label: string, total: number): Progress;
}

export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

export function createOutput(json: boolean): Output {
  const interactive = process.stderr.isTTY && !json;
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    info(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
    table(rows, columns) {
      const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
      const line = (cells: string[]) =>
        cells
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd();
      return [
        line(columns),
        line(widths.map((w) => '-'.repeat(w))),
        ...rows.map((r) => line(columns.map((c) => String(r[c] ?? '')))),
      ].join('\n');
    },
    progress(label, total) {
      if (!interactive) return { update() {}, stop() {} };
      const bar = new SingleBar({
        format: `${label} [{bar}] {percentage}% | {value}/{total} {rate}`,
        hideCursor: true,
        clearOnComplete: false,
      });
      bar.start(total, 0, { rate: '' });
      return {
        update: (done, extra) => bar.update(done, { rate: '', ...extra }),
        stop: () => bar.stop(),
      };
    },
  };
}

/** 1 for anything the user can fix (bad input, missing record, refused permission), 2 for our failures. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof ZodError || err instanceof UserError) return 1;
  if (err instanceof AppError) return err.code === 'internal' || err.code === 'unavailable' ? 2 : 1;
  return 2;
}

export function describeError(err: unknown): string {
  if (err instanceof ZodError)
    return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n');
  if (err instanceof AppError) {
    return [err.message, ...err.issues.map((i) => `  ${i.field}: ${i.message}`)].join('\n');
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A mistake in how the command was used or what it was given. */
export class UserError extends Error {}
