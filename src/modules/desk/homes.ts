/**
 * The desk's home pages, one per role: "my work" (what waits for the user, most urgent first: breached,
 * then due soon, then on track) and the figures that matter to that role. Each home is read from the other
 * modules' own queries through their index.ts, under the user's roles: a section whose query the user may
 * not read is left out, never faked. The desk module sits on top: nothing imports it.
 */
import { addDays, today } from '../../core/dates.ts';
import { AppError, forbidden, notFound } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { approvalInbox } from '../approvals/index.ts';
import { listCredits } from '../cash/index.ts';
import { claimQueue } from '../claims/index.ts';
import { listTasks, worklist } from '../collections/index.ts';
import { creditReport, listLimitRequests } from '../credit/index.ts';
import { deductionQueues, listDeductions, roleOfQueue } from '../deductions/index.ts';
import { type DisputeTeam, disputeTeams, listDisputes } from '../disputes/index.ts';
import { ratesOn, sumInReporting } from '../fx/index.ts';
import { isPartner } from '../identity/index.ts';
import { listPaymentBatches } from '../settlement/index.ts';
import { listCertificates } from '../tax/index.ts';

export const homeKinds = ['collector', 'analyst', 'approver', 'credit', 'tax', 'team', 'manager'] as const;
export type HomeKind = (typeof homeKinds)[number];

export const homeTitles: Record<HomeKind, string> = {
  collector: 'Collections',
  analyst: 'Claims and deductions',
  approver: 'Approvals',
  credit: 'Credit',
  tax: 'Tax certificates',
  team: 'My team’s disputes and deductions',
  manager: 'Overview',
};

/** The roles each home is for, in the order a user with several roles sees them. */
const homeRoles: Record<HomeKind, readonly string[]> = {
  collector: ['collector'],
  analyst: ['rebate_analyst'],
  approver: ['approver'],
  credit: ['credit'],
  tax: ['tax'],
  team: ['order_management', 'billing', 'distribution', 'sales', 'marketing', 'returns'],
  manager: ['manager', 'administrator'],
};

export type SlaLight = 'breached' | 'due_soon' | 'on_track';

export interface WorkItem {
  id: string;
  label: string;
  detail: string;
  /** When it is due (a business date), if it has a due date. */
  due_date: string | null;
  state: SlaLight | null;
  /** The desk page that works it. */
  href: string;
  amount?: string;
  currency?: string;
}

export interface WorkSection {
  key: string;
  title: string;
  /** The page with the whole list. */
  href: string;
  /** How many wait in all (items shows the first few, most urgent first). */
  total: number;
  items: WorkItem[];
}

export interface Figure {
  label: string;
  value: string;
  kind: 'count' | 'amount';
  currency?: string;
  /** Drawn attention to (something breached or overdue). */
  alert?: boolean;
  href?: string;
}

export interface Home {
  home: HomeKind;
  title: string;
  as_of: string;
  work: WorkSection[];
  figures: Figure[];
}

const shown = 8;

/** The homes a user's roles give, first the one the desk opens with. Partners have none (the portal). */
export function homesFor(roles: readonly string[]): HomeKind[] {
  if (isPartner(roles)) return [];
  return homeKinds.filter((h) => homeRoles[h].some((r) => roles.includes(r)));
}

/** A due date read as a light: past it breached, today or tomorrow due soon. */
export function lightOf(dueDate: string | null, asOf: string): SlaLight | null {
  if (!dueDate) return null;
  if (dueDate < asOf) return 'breached';
  if (dueDate <= addDays(asOf, 1)) return 'due_soon';
  return 'on_track';
}

const order: Record<SlaLight, number> = { breached: 0, due_soon: 1, on_track: 2 };
const byUrgency = (a: WorkItem, b: WorkItem) =>
  (a.state ? order[a.state] : 3) - (b.state ? order[b.state] : 3) ||
  (a.due_date ?? '9999').localeCompare(b.due_date ?? '9999');

/** A section of items: all of them counted, the most urgent shown. */
function sectionOf(
  key: string,
  title: string,
  href: string,
  items: WorkItem[],
  total = items.length,
): WorkSection {
  return { key, title, href, total, items: [...items].sort(byUrgency).slice(0, shown) };
}

/** A section, or nothing when the user may not read what it is made of. */
async function section(read: () => Promise<WorkSection>): Promise<WorkSection[]> {
  try {
    return [await read()];
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') return [];
    throw err;
  }
}

const count = (label: string, n: number, extra: Partial<Figure> = {}): Figure => ({
  label,
  value: String(n),
  kind: 'count',
  ...extra,
});

/** Amounts per currency: one figure each (never added across currencies). */
function amountsByCurrency(label: string, rows: readonly { currency: string; amount: string }[]): Figure[] {
  const sums = new Map<string, Money>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? new Money(0)).plus(r.amount));
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, sum]) => ({ label, value: sum.toFixed(2), kind: 'amount' as const, currency }));
}

// ---------------------------------------------------------------------------------------------------------
// Sections, each from one module's query

async function myTasks(db: Db, asOf: string): Promise<WorkSection> {
  const tasks = await listTasks(db, { for: 'me', status: 'open', limit: 200 });
  const items = tasks.items.map(
    (t): WorkItem => ({
      id: t.task_id,
      label: t.title,
      detail: `${t.account_name ?? t.account_id} · ${t.queue}`,
      due_date: t.due_date,
      state: lightOf(t.due_date, asOf),
      href: `/accounts/${encodeURIComponent(t.account_id)}`,
    }),
  );
  return sectionOf('tasks', 'My tasks', '/tasks', items, tasks.counts.open);
}

/** `brief`: the overview's figures only (the count and the total in the reporting currency). */
async function worklistSection(db: Db, brief = false): Promise<{ section: WorkSection; figures: Figure[] }> {
  const list = await worklist(db);
  const items = list.rows.slice(0, shown).map(
    (r): WorkItem => ({
      id: `${r.account_id}/${r.currency}`,
      label: `${r.name} (${r.account_id})`,
      detail: `${r.past_due_items} past due, the oldest ${r.oldest_days_past_due} days · next: ${r.next_action}`,
      due_date: null,
      // Broken promises and items more than 60 days past due are what a collector's SLA has missed.
      state:
        r.broken_promises > 0 || r.oldest_days_past_due > 60
          ? 'breached'
          : r.oldest_days_past_due > 30
            ? 'due_soon'
            : 'on_track',
      href: `/accounts/${encodeURIComponent(r.account_id)}`,
      amount: r.past_due_amount,
      currency: r.currency,
    }),
  );
  const accounts = new Set(list.rows.map((r) => r.account_id)).size;
  // The one figure that adds currencies up: everything past due in the reporting currency.
  const fx = await ratesOn(
    db,
    list.rows.map((r) => r.currency),
    list.as_of,
  );
  const allIn: Figure = {
    label:
      fx.missing.length > 0
        ? `Past due, all in ${fx.currency} (without ${fx.missing.join(', ')})`
        : `Past due, all in ${fx.currency}`,
    value: sumInReporting(
      fx,
      list.rows.map((r) => ({ amount: r.past_due_amount, currency: r.currency })),
    ),
    kind: 'amount',
    currency: fx.currency,
    href: '/worklist',
  };
  return {
    section: {
      key: 'worklist',
      title: 'Accounts to chase',
      href: '/worklist',
      total: list.rows.length,
      items,
    },
    figures: brief
      ? [count('Accounts past due', accounts, { href: '/worklist' }), allIn]
      : [
          count('Accounts past due', accounts, { href: '/worklist' }),
          allIn,
          ...amountsByCurrency(
            'Past due',
            list.rows.map((r) => ({ currency: r.currency, amount: r.past_due_amount })),
          ),
          count(
            'Broken promises (180 days)',
            list.rows.reduce((n, r) => n + r.broken_promises, 0),
            { alert: list.rows.some((r) => r.broken_promises > 0) },
          ),
        ],
  };
}

async function claimsToDecide(db: Db): Promise<{ section: WorkSection; figures: Figure[] }> {
  const q = await claimQueue(db, { sla_states: ['breached', 'due_soon', 'on_track'], limit: shown });
  const items = q.items.map(
    (c): WorkItem => ({
      id: `${c.account_id}/${c.claim_id}`,
      label: `Claim ${c.claim_id} · ${c.partner_name ?? c.account_id}`,
      detail: `${c.program_name ?? c.program_id} · ${c.status.replaceAll('_', ' ')} · ${c.lines} line${c.lines === 1 ? '' : 's'}`,
      due_date: c.due_date,
      state:
        c.sla_state === 'breached' || c.sla_state === 'due_soon' || c.sla_state === 'on_track'
          ? c.sla_state
          : null,
      href: `/claims/${encodeURIComponent(c.claim_id)}?account_id=${encodeURIComponent(c.account_id)}`,
      amount: c.claimed_amount,
      currency: c.currency,
    }),
  );
  return {
    section: { key: 'claims', title: 'Claims to decide', href: '/claims', total: q.total, items },
    figures: [
      count('Claims breached', q.counts.breached, { alert: q.counts.breached > 0, href: '/claims' }),
      count('Claims due soon', q.counts.due_soon, { href: '/claims' }),
      count('Claims on track', q.counts.on_track, { href: '/claims' }),
    ],
  };
}

async function myDeductions(db: Db, roles: readonly string[], asOf: string): Promise<WorkSection> {
  const all = roles.includes('manager') || roles.includes('administrator');
  const queues = deductionQueues.filter((q) => all || roles.includes(roleOfQueue[q]));
  if (queues.length === 0) throw forbidden();
  const list = await listDeductions(db, { queue: queues.join(','), open: 'true', sort: 'sla', limit: shown });
  const items = list.items.map(
    (d): WorkItem => ({
      id: d.deduction_id,
      label: `Deduction ${d.deduction_id} · ${d.account_name ?? d.account_id}`,
      detail: `${d.queue} queue`,
      due_date: d.sla_due_date,
      state: d.sla_state ?? lightOf(d.sla_due_date, asOf),
      href: `/deductions/${encodeURIComponent(d.deduction_id)}`,
      amount: d.open_amount,
      currency: d.currency,
    }),
  );
  return sectionOf(
    'deductions',
    all ? 'Deductions in the queues' : `Deductions in my queues (${queues.join(', ')})`,
    '/deductions',
    items,
    list.total,
  );
}

async function teamDisputes(db: Db, roles: readonly string[], asOf: string): Promise<WorkSection> {
  const all = roles.includes('manager') || roles.includes('administrator') || roles.includes('collector');
  const teams = disputeTeams.filter((t) => all || roles.includes(t));
  if (teams.length === 0) throw forbidden();
  const lists = await Promise.all(
    (all ? [undefined] : teams).map((team) =>
      listDisputes(db, { team: team as DisputeTeam | undefined, state: 'active' }),
    ),
  );
  const disputes = lists.flatMap((l) => l.items);
  const items = disputes.map(
    (d): WorkItem => ({
      id: d.dispute_id,
      label: `Dispute ${d.dispute_id} · ${d.account_name ?? d.account_id}`,
      detail: `${d.team_name} · ${d.state.replaceAll('_', ' ')}`,
      due_date: d.due_date,
      state:
        d.sla_state === 'breached' || d.sla_state === 'due_soon' || d.sla_state === 'on_track'
          ? d.sla_state
          : lightOf(d.due_date, asOf),
      href: `/disputes/${encodeURIComponent(d.dispute_id)}`,
      amount: d.amount,
      currency: d.currency,
    }),
  );
  return sectionOf('disputes', all ? 'Disputes being worked' : 'Disputes of my team', '/disputes', items);
}

async function approvalsWaiting(db: Db, brief = false): Promise<{ section: WorkSection; figures: Figure[] }> {
  const inbox = await approvalInbox(db);
  const items = inbox.map(
    (r): WorkItem => ({
      id: r.request_id,
      label: `${r.subject_type.replaceAll('_', ' ')} ${r.subject_id}`,
      detail: `requested by ${r.requested_by_name ?? 'someone'} · waiting ${r.waiting_hours} h`,
      due_date: null,
      // Approvers are reminded after a day: a request waiting longer is late.
      state: r.waiting_hours >= 48 ? 'breached' : r.waiting_hours >= 24 ? 'due_soon' : 'on_track',
      href: '/approvals',
      amount: r.amount,
      currency: r.currency,
    }),
  );
  return {
    section: sectionOf('approvals', 'Approvals waiting for me', '/approvals', items),
    figures: brief
      ? [count('Approvals waiting', items.length, { href: '/approvals' })]
      : [
          count('Approvals waiting', items.length, { href: '/approvals' }),
          count('Waiting more than a day', inbox.filter((r) => r.waiting_hours >= 24).length, {
            alert: inbox.some((r) => r.waiting_hours >= 48),
          }),
        ],
  };
}

async function batchesToRelease(db: Db): Promise<WorkSection> {
  const batches = (await listPaymentBatches(db)).filter((b) => b.release_required && b.status === 'held');
  return {
    key: 'batches',
    title: 'Payment batches to release',
    href: '/payment-batches',
    total: batches.length,
    items: batches.slice(0, shown).map((b) => ({
      id: b.batch_id,
      label: `Batch ${b.batch_id} · ${b.method.replaceAll('_', ' ')}`,
      detail: `${b.payment_count} payment${b.payment_count === 1 ? '' : 's'}${b.sla_priority ? ' · pays claims due soon' : ''}`,
      due_date: null,
      state: b.sla_priority ? 'due_soon' : 'on_track',
      href: `/payment-batches?batch=${encodeURIComponent(b.batch_id)}`,
      amount: b.total_amount,
      currency: b.currency,
    })),
  };
}

async function creditHolds(db: Db): Promise<{ section: WorkSection; figures: Figure[] }> {
  const report = await creditReport(db, {});
  const items = report.orders.map(
    (o): WorkItem => ({
      id: o.order_id,
      label: `Order ${o.order_id} · ${o.account_id}`,
      detail: `on hold since ${o.order_date} · recommended: ${o.recommendation}`,
      due_date: o.order_date,
      // An order waits on the credit desk from its date: a day is due soon, more is late.
      state: lightOf(addDays(o.order_date, 1), report.as_of),
      href: '/credit',
      amount: o.amount,
      currency: o.currency,
    }),
  );
  const requests = (await listLimitRequests(db)).filter((r) => r.status === 'pending');
  return {
    section: sectionOf('credit_holds', 'Orders on credit hold', '/credit', items),
    figures: [
      count('Orders on hold', items.length, { href: '/credit' }),
      count('Recommended to release', report.counts.release),
      count('To review', report.counts.review, { alert: report.counts.review > 0 }),
      count('Credit-limit requests pending', requests.length),
    ],
  };
}

async function certificatesToValidate(db: Db): Promise<{ section: WorkSection; figures: Figure[] }> {
  const queue = await listCertificates(db, { status: 'queue' });
  const expiring = await listCertificates(db, { status: 'validated', expiring_within_days: 30 });
  const items = queue.items.map(
    (c): WorkItem => ({
      id: c.certificate_id,
      label: `Certificate ${c.certificate_id} · ${c.account_name ?? c.account_id}`,
      detail: `${c.jurisdiction} · received ${c.received_on ?? '—'}`,
      // The tax team validates within two days of receipt.
      due_date: c.received_on ? addDays(c.received_on, 2) : null,
      state: lightOf(c.received_on ? addDays(c.received_on, 2) : null, queue.as_of),
      href: '/tax-certificates',
    }),
  );
  return {
    section: sectionOf('certificates', 'Certificates to validate', '/tax-certificates', items),
    figures: [
      count('Certificates to validate', items.length, { href: '/tax-certificates' }),
      count('Expiring within 30 days', expiring.items.length),
      count('Expired', queue.counts.expired ?? 0, { alert: (queue.counts.expired ?? 0) > 0 }),
    ],
  };
}

async function cashExceptions(db: Db): Promise<{ section: WorkSection; figures: Figure[] }> {
  const list = await listCredits(db, { status: 'exception', limit: shown });
  const asOf = today();
  const items = list.items.map(
    (c): WorkItem => ({
      id: c.payment_ref,
      label: `Payment ${c.payment_ref} · ${c.payer_name ?? 'unknown payer'}`,
      detail: `received ${c.value_date}`,
      // Cash is applied the next business day: older exceptions are late.
      due_date: addDays(c.value_date, 1),
      state: lightOf(addDays(c.value_date, 1), asOf),
      href: '/cash-exceptions',
      amount: c.amount,
      currency: c.currency,
    }),
  );
  return {
    section: sectionOf('exceptions', 'Cash exceptions', '/cash-exceptions', items, list.total),
    figures: [count('Cash exceptions', list.total, { alert: list.total > 0, href: '/cash-exceptions' })],
  };
}

// ---------------------------------------------------------------------------------------------------------

type Part = WorkSection[] | { section: WorkSection; figures: Figure[] };

async function gather(
  parts: readonly (() => Promise<Part>)[],
): Promise<{ work: WorkSection[]; figures: Figure[] }> {
  const work: WorkSection[] = [];
  const figs: Figure[] = [];
  for (const read of parts) {
    try {
      const part = await read();
      if (Array.isArray(part)) work.push(...part);
      else {
        work.push(part.section);
        figs.push(...part.figures);
      }
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'forbidden')) throw err;
    }
  }
  return { work, figures: figs };
}

/** One home for the signed-in user: 403 for partners, 404 for a home the user's roles do not give. */
export async function deskHome(db: Db, home: HomeKind): Promise<Home> {
  if (isPartner(db.actor.roles)) throw forbidden('The desk’s home pages are for the company’s users.');
  if (!homesFor(db.actor.roles).includes(home)) throw notFound(`The ${home} home`);
  const roles = db.actor.roles;
  const asOf = today();
  const parts: Record<HomeKind, (() => Promise<Part>)[]> = {
    collector: [
      () => section(() => myTasks(db, asOf)),
      () => worklistSection(db),
      () => section(() => teamDisputes(db, roles, asOf)),
      () => section(() => myDeductions(db, roles, asOf)),
    ],
    analyst: [
      () => claimsToDecide(db),
      () => section(() => myDeductions(db, roles, asOf)),
      () => section(() => myTasks(db, asOf)),
    ],
    approver: [() => approvalsWaiting(db), () => section(() => batchesToRelease(db))],
    credit: [() => creditHolds(db), () => section(() => myTasks(db, asOf))],
    tax: [() => certificatesToValidate(db), () => section(() => myDeductions(db, roles, asOf))],
    team: [
      () => section(() => teamDisputes(db, roles, asOf)),
      () => section(() => myDeductions(db, roles, asOf)),
      () => section(() => myTasks(db, asOf)),
    ],
    manager: [
      () => claimsToDecide(db),
      () => approvalsWaiting(db, true),
      () => cashExceptions(db),
      () => worklistSection(db, true),
      () => section(() => batchesToRelease(db)),
    ],
  };
  const { work, figures: figs } = await gather(parts[home]);
  return { home, title: homeTitles[home], as_of: asOf, work, figures: figs };
}

/** The homes of the signed-in user, each with its title. */
export function listHomes(db: Db): { homes: { home: HomeKind; title: string }[] } {
  if (isPartner(db.actor.roles)) throw forbidden('The desk’s home pages are for the company’s users.');
  return { homes: homesFor(db.actor.roles).map((home) => ({ home, title: homeTitles[home] })) };
}
