import fs from 'node:fs';
import type { Command } from 'commander';
import {
  createStrategy,
  getStrategy,
  listStrategies,
  listTasks,
  runStrategies,
  type StepInput,
  type Strategy,
  updateStrategy,
} from '../modules/collections/index.ts';
import { sendQueued } from '../modules/correspondence/index.ts';
import { withDatabase } from './context.ts';
import { UserError } from './output.ts';

/** A strategy as a file holds it (what `strategies export` writes and `strategies set` reads). */
function fileOf(s: Strategy) {
  return {
    strategy_id: s.strategy_id,
    name: s.name,
    description: s.description,
    segment: s.segment,
    country: s.country,
    steps: s.steps.map((st) => ({
      step_id: st.step_id,
      kind: st.kind,
      trigger: st.trigger,
      days: st.days,
      ...(st.action === 'email'
        ? { subject: st.subject, body: st.body }
        : { sla_business_days: st.sla_business_days }),
    })),
  };
}

/**
 * Steps in a file may come without ids (written by hand): they keep the id of the existing step of the same
 * kind in the same order, so what was done for them in running cycles stays done.
 */
function keepIds(existing: Strategy, steps: StepInput[]): StepInput[] {
  const used = new Set(steps.flatMap((s) => (s.step_id ? [s.step_id] : [])));
  let from = 0;
  return steps.map((s) => {
    if (s.step_id) return s;
    const index = existing.steps.findIndex((e, i) => i >= from && e.kind === s.kind && !used.has(e.step_id));
    if (index < 0) return s;
    from = index + 1;
    used.add(existing.steps[index]!.step_id);
    return { ...s, step_id: existing.steps[index]!.step_id };
  });
}

export function registerCollections(program: Command): void {
  const collections = program
    .command('collections')
    .description('Collections: strategies, their daily run, tasks');

  collections
    .command('run')
    .description(
      'Run the collection strategies as the daily job does: for every account past due, its next step once\n' +
        'its trigger is reached (e-mails through SMTP_URL or into the outbox, tasks into the teams’ queues).',
    )
    .option('--as-of <date>', 'the day to run as (default today)')
    .action(async (opts: { asOf?: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out, store }) => {
        const run = await runStrategies(db, { asOf: opts.asOf });
        const ids = run.runs.flatMap((r) => (r.email_id ? [r.email_id] : []));
        const sent = ids.length > 0 ? await sendQueued(db, { store, emailIds: ids }) : undefined;
        out.result({ ...run, sent: sent ?? null }, () => {
          const emails = run.runs.filter((r) => r.action === 'email').length;
          return (
            `Collection strategies as of ${run.as_of}: ${run.runs.length} step(s) done — ${emails} e-mail(s)` +
            ` (${sent?.sent ?? 0} sent, ${sent?.failed ?? 0} failed, ${sent?.bounced ?? 0} bounced),` +
            ` ${run.runs.length - emails} task(s).`
          );
        });
      });
    });

  const strategies = collections
    .command('strategies')
    .description('Collection strategies per segment and country');
  strategies
    .command('list', { isDefault: true })
    .description('Every strategy with its steps and how many accounts follow it')
    .action(async (_opts: unknown, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const { items } = await listStrategies(db);
        out.result(items, () =>
          items
            .map(
              (s) =>
                `${s.strategy_id} — ${s.name} (${s.is_default ? 'default' : [s.segment && `segment ${s.segment}`, s.country && `country ${s.country}`].filter(Boolean).join(', ')}; ${s.accounts} account(s))\n` +
                s.steps
                  .map((st) => `  ${st.step_no}. ${st.kind.replaceAll('_', ' ')}: ${st.when}`)
                  .join('\n'),
            )
            .join('\n'),
        );
      });
    });
  strategies
    .command('export')
    .description('Write every strategy as JSON (edit it and load it back with `strategies set`)')
    .requiredOption('--out <file>', 'the .json file to write')
    .action(async (opts: { out: string }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const { items } = await listStrategies(db);
        fs.writeFileSync(opts.out, `${JSON.stringify(items.map(fileOf), null, 2)}\n`);
        out.result(
          { file: opts.out, strategies: items.length },
          () => `Wrote ${items.length} strategies to ${opts.out}.`,
        );
      });
    });
  strategies
    .command('set')
    .description(
      'Create or replace the strategies in a JSON file (one strategy or an array, as `strategies export` writes):\n' +
        'each is checked like the API checks it; steps without an id keep that of the same kind in the same order.',
    )
    .argument('<file>', 'the .json file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        throw new UserError(`${file}: not readable JSON (${(err as Error).message}).`);
      }
      const list = (Array.isArray(parsed) ? parsed : [parsed]) as (Record<string, unknown> & {
        steps: StepInput[];
      })[];
      await withDatabase(cmd, async ({ db, out }) => {
        const done: { strategy_id: string; action: 'created' | 'updated'; steps: number }[] = [];
        for (const raw of list) {
          const id = String(raw.strategy_id ?? '');
          const existing = await getStrategy(db, id).catch(() => undefined);
          const { strategy_id: _id, ...fields } = raw;
          const saved = existing
            ? await updateStrategy(db, id, { ...fields, steps: keepIds(existing, raw.steps ?? []) } as never)
            : await createStrategy(db, raw as never);
          done.push({
            strategy_id: saved.strategy_id,
            action: existing ? 'updated' : 'created',
            steps: saved.steps.length,
          });
        }
        out.result(done, () =>
          done.map((d) => `${d.strategy_id}: ${d.action}, ${d.steps} step(s)`).join('\n'),
        );
      });
    });

  collections
    .command('tasks')
    .description('Open tasks of the collections, sales and credit queues, overdue first')
    .option('--queue <queue>', 'collections, sales or credit')
    .option('--overdue', 'only the overdue ones')
    .action(async (opts: { queue?: string; overdue?: boolean }, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const tasks = await listTasks(db, {
          queue: opts.queue as never,
          overdue: opts.overdue ? 'true' : undefined,
          limit: 1000,
        });
        out.result(tasks, () =>
          tasks.items.length === 0
            ? 'No open tasks.'
            : out.table(
                tasks.items.map((t) => ({
                  due: t.due_date,
                  overdue: t.overdue ? 'OVERDUE' : '',
                  queue: t.queue,
                  for: t.assignee ?? '',
                  account: t.account_id,
                  task: t.title,
                })),
                ['due', 'overdue', 'queue', 'for', 'account', 'task'],
              ),
        );
      });
    });
}
