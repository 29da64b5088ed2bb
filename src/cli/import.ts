import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { attachClaimFiles } from '../modules/claims/attachments.ts';
import {
  detectTemplate,
  findTemplate,
  type ImportResult,
  loadOrder,
  runImport,
  templates,
} from '../modules/imports/index.ts';
import { attachCertificateFiles } from '../modules/tax/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

function problemLine(file: string, e: ImportResult['errors'][number]): string {
  const where = e.line !== null ? `${file}:${e.line}` : file;
  const column = e.column ? ` ${e.column}` : '';
  const value = e.value !== null && e.value !== undefined && e.value !== '' ? ` "${e.value}"` : '';
  return column || value ? `  ${where}:${column}${value}: ${e.reason}` : `  ${where}: ${e.reason}`;
}

function summary(r: ImportResult): string {
  const seconds = r.duration_ms / 1000;
  const rate = seconds > 0 ? Math.round(r.rows_total / seconds) : r.rows_total;
  if (r.status === 'loaded') {
    return `${r.file_name} (${r.kind}): loaded ${r.rows_total} row(s): ${r.rows_inserted} new, ${r.rows_updated} changed, ${r.rows_unchanged} unchanged in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} rows/s)${r.same_file_as ? ' — the same file was loaded before' : ''}`;
  }
  return `${r.file_name} (${r.kind}): REFUSED, nothing loaded: ${r.error_count} problem(s) in ${r.rows_rejected} row(s)`;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      `Load files of the published templates (CSV or XLSX; programs as JSON), each whole or not at all.\n` +
        `The template is recognised from the file name (${templates.map((t) => `${t.kind}.${t.format}`).join(', ')});\n` +
        'several files load in dependency order whatever order they are given in. Exit code 1 when a file is refused.',
    )
    .argument('<files...>', 'files to load')
    .option(
      '--kind <kind>',
      `the template, when the file name does not say (${templates.map((t) => t.kind).join(', ')})`,
    )
    .option(
      '--draft',
      'keep loaded programs as drafts for an approver (default: the operator’s load activates them)',
    )
    .action(async (files: string[], opts: { kind?: string; draft?: boolean }, cmd: Command) => {
      for (const f of files) {
        if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UserError(`${f}: no such file`);
      }
      if (opts.kind && !findTemplate(opts.kind))
        throw new UserError(`There is no template called ${opts.kind}.`);
      const byKind = new Map<string, string[]>();
      for (const f of files) {
        const kind = detectTemplate(f, path.basename(f), opts.kind).kind;
        byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
      }
      await withDatabase(cmd, async ({ db, out, store }) => {
        const results: ImportResult[] = [];
        for (const kind of loadOrder([...byKind.keys()])) {
          for (const file of byKind.get(kind) ?? []) {
            const size = fs.statSync(file).size;
            const large = size > 5 * 1024 * 1024;
            const bar = large
              ? out.progress(path.basename(file), Math.max(1, Math.round(size / 1024 / 1024)))
              : undefined;
            const started = Date.now();
            const result = await runImport(db, {
              path: file,
              kind,
              source: 'cli',
              activatePrograms: !opts.draft,
              onProgress: bar
                ? ({ bytes, rows }) => {
                    const s = (Date.now() - started) / 1000;
                    bar.update(Math.round(bytes / 1024 / 1024), {
                      rate: `MB | ${rows.toLocaleString('en-US')} rows | ${s > 0 ? Math.round(rows / s).toLocaleString('en-US') : 0} rows/s`,
                    });
                  }
                : undefined,
            });
            bar?.stop();
            results.push(result);
            if (!out.json) {
              const lines = [summary(result)];
              // X12: what became of each interchange's sets (loaded, refused, not read, duplicate).
              if (result.kind === 'x12' && result.status === 'loaded') {
                lines.push(
                  ...result.message.split(/(?<=\.) (?=interchange \d+:|refused:)/).map((m) => `  ${m}`),
                );
              }
              if (result.status === 'rejected') {
                lines.push(...result.errors.map((e) => problemLine(path.basename(file), e)));
                if (result.error_count > result.errors.length) {
                  lines.push(`  … and ${result.error_count - result.errors.length} more problem(s)`);
                }
              }
              process.stdout.write(`${lines.join('\n')}\n`);
            }
            if (result.status === 'loaded' && kind === 'claim_documents') {
              const files = await attachClaimFiles(db, store, path.dirname(path.resolve(file)));
              if (!out.json && files.attached + files.missing.length > 0) {
                process.stdout.write(
                  `  ${files.attached} file(s) stored with their claims${files.missing.length ? `; not found beside the CSV: ${files.missing.join(', ')}` : ''}\n`,
                );
              }
            }
            if (result.status === 'loaded' && kind === 'tax_certificates') {
              const files = await attachCertificateFiles(db, store, path.dirname(path.resolve(file)));
              if (!out.json && files.attached + files.missing.length > 0) {
                process.stdout.write(
                  `  ${files.attached} file(s) stored with their certificates${files.missing.length ? `; not found beside the CSV: ${files.missing.join(', ')}` : ''}\n`,
                );
              }
            }
          }
        }
        const refused = results.filter((r) => r.status === 'rejected').length;
        if (out.json) {
          out.result({ files: results, loaded: results.length - refused, refused }, () => '');
        } else if (results.length > 1) {
          process.stdout.write(`${results.length - refused} file(s) loaded, ${refused} refused.\n`);
        }
        if (refused > 0) process.exitCode = 1;
      });
    });
}
