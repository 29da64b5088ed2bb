import fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import {
  errorInWords,
  getInterchange,
  listInterchanges,
  reprocess,
  respond812,
  respond849,
  sampleInterchanges,
  saveTradingPartner,
  writeOutbound,
} from '../modules/edi/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

export function registerEdi(program: Command): void {
  const edi = program
    .command('edi')
    .description(
      'X12 EDI: sample files for partners, 849 claim responses, 997s, the interchanges received and sent',
    );

  edi
    .command('sample')
    .description(
      'Write the X12 a partner would send for the rows of a CSV: --set 844 from claims.csv, 867 from\n' +
        'sell_out.csv, 852 from inventory.csv (one interchange per partner, the partner as sender).',
    )
    .requiredOption('--set <code>', '844, 867 or 852')
    .requiredOption('--from <csv>', 'the CSV file (claims.csv, sell_out.csv, inventory.csv)')
    .requiredOption('--out <file>', 'the X12 file to write')
    .option('--date <YYYY-MM-DD>', 'the report date of an 867 (default today)')
    .action((opts: { set: string; from: string; out: string; date?: string }, cmd: Command) => {
      if (!fs.existsSync(opts.from)) throw new UserError(`${opts.from}: no such file`);
      const text = fs.readFileSync(opts.from, 'utf8').replace(/^\uFEFF/, '');
      const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
        string,
        string
      >[];
      const header = (parse(text.split(/\r?\n/, 1)[0] ?? '', { trim: true }) as string[][])[0] ?? [];
      const x12 = sampleInterchanges(opts.set, header, records, opts.date ? { date: opts.date } : {});
      fs.writeFileSync(opts.out, x12);
      const json = Boolean(cmd.optsWithGlobals().json);
      const interchanges = (x12.match(/^ISA/gm) ?? []).length;
      const sets = (x12.match(/^ST\*/gm) ?? []).length;
      if (json) process.stdout.write(`${JSON.stringify({ file: opts.out, interchanges, sets })}\n`);
      else
        process.stdout.write(
          `Wrote ${opts.out}: ${interchanges} interchange(s), ${sets} ${opts.set} set(s).\n`,
        );
    });

  edi
    .command('interchanges')
    .description('List the interchanges received and sent, newest first, with their sets and 997 status')
    .option('--direction <in|out>', 'only those received (in) or sent (out)')
    .option(
      '--status <status>',
      'loaded, partial, refused, duplicate, ready, written; or accepted, rejected (997)',
    )
    .option('--account <id>', 'only this trading partner')
    .option('--set <code>', 'only interchanges holding this transaction set')
    .option('--limit <n>', 'how many', '100')
    .option('--errors', 'print each refused set’s errors with their segment and element')
    .action(
      async (
        opts: {
          direction?: string;
          status?: string;
          account?: string;
          set?: string;
          limit: string;
          errors?: boolean;
        },
        cmd: Command,
      ) => {
        await withDatabase(cmd, async ({ db, out }) => {
          const r = await listInterchanges(db, {
            direction: opts.direction,
            status: opts.status,
            account_id: opts.account,
            set_code: opts.set,
            limit: Number(opts.limit),
          });
          const details = opts.errors
            ? await Promise.all(
                r.items.filter((i) => i.sets_refused > 0).map((i) => getInterchange(db, i.interchange_id)),
              )
            : [];
          out.result({ ...r, details }, () => {
            const lines = r.items.map(
              (i) =>
                `${i.created_at.slice(0, 19).replace('T', ' ')}  ${i.direction === 'in' ? 'IN ' : 'OUT'}  ${i.set_codes.join(',').padEnd(7)} ` +
                `${(i.direction === 'in' ? i.sender_id : i.receiver_id).padEnd(15)} ISA13 ${i.control_number}  ${i.status.padEnd(9)} ` +
                `${i.direction === 'in' ? `997 ${i.ack_status ?? '-'}  ${i.sets_loaded}/${i.sets_total} set(s) loaded` : `${i.sets_total || ''}`}  ${i.interchange_id}`,
            );
            for (const d of details) {
              lines.push(`${d.interchange_id}:`);
              for (const s of d.sets.filter((x) => x.status === 'refused')) {
                for (const e of s.errors)
                  lines.push(
                    `  ${s.set_code} ${s.control_number}${s.reference ? ` (${s.reference})` : ''}: ${errorInWords(e)}`,
                  );
              }
            }
            return lines.length ? `${lines.join('\n')}\n${r.total} interchange(s).` : 'No interchanges.';
          });
        });
      },
    );

  edi
    .command('partner')
    .description(
      'Set up or change a trading partner: the account, its ISA (and GS) id, the sets it exchanges',
    )
    .argument('<account_id>')
    .requiredOption('--isa-id <id>', 'its ISA06 sender id (up to 15 characters)')
    .option('--isa-qualifier <q>', 'its ISA05 qualifier', 'ZZ')
    .option('--gs-id <id>', 'its GS02 id (default the ISA id)')
    .option('--receives <sets>', 'sets it sends us, comma-separated', '844')
    .option('--sends <sets>', 'sets we send it, comma-separated (997s always)', '849')
    .option('--production', 'production (default: test)')
    .action(
      async (
        accountId: string,
        opts: {
          isaId: string;
          isaQualifier: string;
          gsId?: string;
          receives: string;
          sends: string;
          production?: boolean;
        },
        cmd: Command,
      ) => {
        await withDatabase(cmd, async ({ db, out }) => {
          const split = (s: string) =>
            s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean);
          const tp = await saveTradingPartner(db, {
            account_id: accountId,
            isa_qualifier: opts.isaQualifier,
            isa_id: opts.isaId,
            ...(opts.gsId ? { gs_id: opts.gsId } : {}),
            sets_received: split(opts.receives),
            sets_sent: split(opts.sends),
            usage: opts.production ? 'production' : 'test',
          });
          out.result(
            tp,
            () =>
              `${tp.account_id}: ISA ${tp.isa_qualifier}/${tp.isa_id}, GS ${tp.gs_id}; sends ${tp.sets_received.join(', ')}; receives ${tp.sets_sent.join(', ')}; ${tp.usage}.`,
          );
        });
      },
    );

  edi
    .command('849')
    .description(
      'Make and write the 849 responses: for the claims given (again, even unchanged), or else for every\n' +
        'validated or decided claim of a trading partner receiving 849s whose answer changed; then write every\n' +
        '849 interchange not yet written into DIR.',
    )
    .argument('[claim_ids...]', 'claims to answer')
    .requiredOption('--out <dir>', 'the folder (created when missing)')
    .action(async (claimIds: string[], opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const r = await respond849(db, claimIds.length > 0 ? { claimIds } : {});
        const files = await writeOutbound(db, opts.out, { setCode: '849' });
        out.result(
          { ...r, files },
          () =>
            `${r.claims} claim(s) answered in ${r.interchanges.length} new interchange(s); wrote ${files.length} file(s)${files.length ? `:\n  ${files.join('\n  ')}` : '.'}`,
        );
      });
    });

  edi
    .command('812')
    .description(
      'Make and write the 812s of credit memos: for the documents given (again if sent before), or else every\n' +
        'credit memo not yet sent of a trading partner receiving 812s; then write every 812 interchange not yet\n' +
        'written into DIR.',
    )
    .argument('[document_ids...]', 'credit memos to send')
    .requiredOption('--out <dir>', 'the folder (created when missing)')
    .action(async (ids: string[], opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const r = await respond812(db, ids.length > 0 ? { documentIds: ids } : {});
        const files = await writeOutbound(db, opts.out, { setCode: '812' });
        out.result(
          { ...r, files },
          () =>
            `${r.documents} credit memo(s) in ${r.interchanges.length} new interchange(s); wrote ${files.length} file(s)${files.length ? `:\n  ${files.join('\n  ')}` : '.'}`,
        );
      });
    });

  edi
    .command('997')
    .description('Write the 997 acknowledgments not yet written (one file per inbound interchange) into DIR')
    .requiredOption('--out <dir>', 'the folder (created when missing)')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const files = await writeOutbound(db, opts.out, { setCode: '997' });
        out.result(
          { files },
          () => `Wrote ${files.length} file(s)${files.length ? `:\n  ${files.join('\n  ')}` : '.'}`,
        );
      });
    });

  edi
    .command('reprocess')
    .description(
      'Load the refused sets of an inbound interchange again (after a fix), answering with a new 997',
    )
    .argument('<interchange_id>')
    .action(async (id: string, _opts: object, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const r = await reprocess(db, id);
        out.result(r, () => `${r.message} The interchange is ${r.status}.`);
      });
    });
}
