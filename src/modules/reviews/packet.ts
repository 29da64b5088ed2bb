/**
 * The WD8 packet (CONTROLS.md "Reviews"): what the AR review on the 8th working day of a month looks at, for one
 * country (or all), in the reporting currency where amounts of several currencies meet:
 * - the aging at the end of the month before against the month end before that (the aging's buckets, each
 *   account's and currency's converted at the latest rate on or before its date);
 * - the Top 40 as of that month end, with the collectors' comments for it;
 * - the credit-hold review (WWCH) on the review day;
 * - the write-offs and adjustments posted in the month reviewed (the month before);
 * - the open deductions by queue (as they stand when the packet is made);
 * - the measures of the month reviewed (kpis).
 * One sheet per part in the XLSX; the same parts, a page each, in the PDF.
 */
import { Decimal } from 'decimal.js';
import { monthEnd, previousMonth } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { kindLabels, listAdjustments } from '../adjustments/index.ts';
import { workingDay } from '../calendar/index.ts';
import { deductionQueueSummaries } from '../deductions/index.ts';
import { missingRates, reportingCurrency } from '../fx/index.ts';
import { requireRole } from '../identity/index.ts';
import { type ExportColumn, type ExportSheet, headerWords, writeXlsx } from '../platform/export.ts';
import { type PdfSection, sheetsPdf } from '../platform/index.ts';
import { bucketLabel, defaultBoundaries, thresholds } from '../receivables/index.ts';
import { companyCountry } from '../settlement/index.ts';
import { measureSection } from './measures-part.ts';
import { type PacketQuery, packetQuery, reviewReaders } from './schemas.ts';
import { agingBuckets, convertedAgingSql, top40, top40ReviewColumns, top40ReviewRows } from './top40.ts';
import { wwch, wwchColumns, wwchRows } from './wwch.ts';

export interface Wd8Packet {
  /** The month of the review (YYYY-MM). */
  month: string;
  /** The country, or null for every country together. */
  country: string | null;
  /** The 8th working day of the month in the country's calendar. */
  review_date: string;
  /** The month reviewed (the month before) and its last day, the aging's date. */
  reviewed_month: string;
  as_of: string;
  /** The month end before, which the aging is compared with. */
  previous_as_of: string;
  currency: string;
  sections: PdfSection[];
}

/** The day a country's WD8 review of a month is held. */
export function wd8Date(country: string, month: string): string {
  const day = workingDay(country, month, 8);
  // Every month has at least 8 working days in any calendar; a null would be a calendar gone wrong.
  if (!day) throw new Error(`${month} has fewer than 8 working days in ${country}`);
  return day;
}

/**
 * Each bucket's amount in the reporting currency on two dates: the aging's sums of each account and currency
 * converted at that date's rate and rounded to the cent, as the Top 40 converts them, then added up.
 */
async function agingComparison(db: Db, asOf: string, before: string, country: string | null) {
  const side = (n: number, on: string) =>
    `select ${n} as side, x.* from (${convertedAgingSql(on, '$2::int[]')}) x`;
  const { rows: answer } = await db.query<{
    missing: { currency: string; on: string }[] | null;
    sums: (Record<string, string> & { side: number })[] | null;
  }>(
    `with c as (
       select c.* from (${side(0, '$3::date')} union all ${side(1, '$4::date')}) c
       join accounts a on a.account_id = c.account_id
       where $1::text is null or a.country = $1
     )
     select
       (select json_agg(distinct jsonb_build_object('currency', c.currency,
          'on', to_char(case c.side when 0 then $3::date else $4::date end, 'YYYY-MM-DD')))
        from c where c.rate is null) as missing,
       (select json_agg(x) from (
          select c.side, ${agingBuckets.map((b) => `sum(c.${b.key})::numeric(18, 2)::text as ${b.key}`).join(', ')}
          from c group by c.side) x) as sums`,
    [country, thresholds(defaultBoundaries), before, asOf],
  );
  const { missing, sums } = answer[0]!;
  if (missing?.length) throw missingRates(missing);
  const of = (n: number, key: string) => new Decimal(sums?.find((r) => r.side === n)?.[key] ?? '0');
  return agingBuckets.map((b) => ({
    bucket: bucketLabel(b),
    previous: of(0, b.key).toFixed(2),
    current: of(1, b.key).toFixed(2),
    change: of(1, b.key).minus(of(0, b.key)).toFixed(2),
  }));
}

const agingColumns = (before: string, asOf: string): ExportColumn[] => [
  { key: 'bucket', header: 'bucket', label: 'Days past due' },
  { key: 'previous', header: 'previous', type: 'amount', label: `As of ${before}` },
  { key: 'current', header: 'current', type: 'amount', label: `As of ${asOf}` },
  { key: 'change', header: 'change', type: 'amount', label: 'Change' },
];

const adjustmentColumns: ExportColumn[] = [
  { key: 'posted_on', header: 'posted_on', type: 'date', label: 'Posted' },
  { key: 'adjustment_id', header: 'adjustment_id', label: 'Adjustment' },
  { key: 'kind_text', header: 'kind', label: 'Kind' },
  { key: 'account_id', header: 'account_id' },
  { key: 'account_name', header: 'account_name' },
  { key: 'reason', header: 'reason' },
  { key: 'currency', header: 'currency' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'requested_by_name', header: 'requested_by', label: 'Requested by' },
  { key: 'comment', header: 'comment' },
];

const deductionColumns: ExportColumn[] = [
  { key: 'queue_text', header: 'queue', label: 'Queue' },
  { key: 'open_count', header: 'open_count', type: 'int', label: 'Open' },
  { key: 'breached_count', header: 'breached_count', type: 'int', label: 'Past SLA' },
  { key: 'currency', header: 'currency' },
  { key: 'open_amount', header: 'open_amount', type: 'amount', label: 'Open amount' },
  { key: 'breached_amount', header: 'breached_amount', type: 'amount', label: 'Past SLA amount' },
];

export async function wd8Packet(db: Db, raw: PacketQuery): Promise<Wd8Packet> {
  requireRole(db.actor, reviewReaders);
  const q = packetQuery.parse(raw);
  const country = q.country ?? null;
  const reviewed = previousMonth(q.month);
  const asOf = monthEnd(reviewed);
  const before = monthEnd(previousMonth(reviewed));
  const reviewDate = wd8Date(country ?? companyCountry(), q.month);
  const currency = reportingCurrency();

  const agingRows = await agingComparison(db, asOf, before, country);
  const top = await top40(db, { as_of: asOf }, { country: country ?? undefined });
  const holds = await wwch(db, { as_of: reviewDate, ...(country ? { country } : {}) });
  const adjustments = await listAdjustments(db, {
    status: 'approved',
    posted_from: `${reviewed}-01`,
    posted_to: asOf,
    limit: 1000,
  });
  const countries = new Map(
    (
      await db.query<{ account_id: string; country: string }>(
        'select account_id, country from accounts where account_id = any($1::text[])',
        [adjustments.map((a) => a.account_id)],
      )
    ).rows.map((r) => [r.account_id, r.country]),
  );
  const adjustmentRows = adjustments
    .filter((a) => !country || countries.get(a.account_id) === country)
    .sort(
      (a, b) =>
        (a.posted_on ?? '').localeCompare(b.posted_on ?? '') ||
        a.adjustment_id.localeCompare(b.adjustment_id),
    )
    .map((a) => ({
      ...a,
      kind_text: kindLabels[a.kind],
      reason: `${a.reason_code} ${a.reason_description}`.trim(),
    }));
  const deductions = await deductionQueueSummaries(db, { country: country ?? undefined });
  const deductionRows = deductions.queues
    .filter((queue) => queue.open_count > 0)
    .flatMap((queue) =>
      queue.amounts.map((a) => ({
        ...a,
        queue_text: headerWords(queue.queue),
        open_count: queue.open_count,
        breached_count: queue.breached_count,
      })),
    );

  const sheet = (
    name: string,
    columns: readonly ExportColumn[],
    rows: readonly object[],
    totals = true,
  ): ExportSheet => ({
    name,
    columns,
    rows,
    totals,
  });
  const sections: PdfSection[] = [
    {
      title: `Aging as of ${asOf} against ${before}`,
      notes: [
        `By due date, in ${currency}: each account’s currencies converted at the latest rate on or before each date.`,
      ],
      sheet: sheet('Aging', agingColumns(before, asOf), agingRows),
    },
    {
      title: `Top 40 past-due accounts as of ${asOf}`,
      notes: [
        `In ${currency}; each bucket converted at the latest rate on or before ${asOf} and rounded to the cent.`,
        `Comments: what the collectors wrote for this review (${top.accounts.filter((a) => a.review_comment).length} of ${top.accounts.length}).`,
      ],
      sheet: sheet('Top 40', top40ReviewColumns, top40ReviewRows(top.accounts)),
    },
    {
      title: `Credit-hold review (WWCH) on ${reviewDate}`,
      notes: [
        'Every account with orders on hold: hold amount, exposure and limit in the account’s currency; the strictest recommendation of its orders.',
      ],
      sheet: sheet('Credit holds', wwchColumns, wwchRows(holds.accounts)),
    },
    {
      title: `Write-offs and adjustments posted in ${reviewed}`,
      notes: [`Approved and posted from ${reviewed}-01 to ${asOf}; totals per currency.`],
      sheet: sheet('Adjustments', adjustmentColumns, adjustmentRows),
    },
    {
      title: 'Open deductions by queue',
      notes: [`As they stand on ${deductions.as_of}; amounts per currency.`],
      sheet: sheet('Deductions', deductionColumns, deductionRows),
    },
    await measureSection(db, reviewed, country),
  ];
  return {
    month: q.month,
    country,
    review_date: reviewDate,
    reviewed_month: reviewed,
    as_of: asOf,
    previous_as_of: before,
    currency,
    sections,
  };
}

const packetTitle = (p: Wd8Packet) => ({
  title: `WD8 review ${p.month}${p.country ? ` · ${p.country}` : ''}`,
  period: `Held ${p.review_date}; month reviewed ${p.reviewed_month} (aging as of ${p.as_of}); amounts in ${p.currency} unless a currency is shown`,
});

export function wd8Xlsx(p: Wd8Packet): Promise<Buffer> {
  return writeXlsx(
    p.sections.map((s) => s.sheet),
    packetTitle(p),
  );
}

export function wd8Pdf(p: Wd8Packet, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const t = packetTitle(p);
  return sheetsPdf(
    {
      title: 'WD8 review packet',
      lines: [
        `${p.country ? `Country ${p.country}` : 'All countries'} · review of ${p.month}`,
        `Held on ${p.review_date} (8th working day)`,
        `Month reviewed ${p.reviewed_month}, aging as of ${p.as_of}`,
        `Amounts in ${p.currency} unless a currency is shown`,
      ],
      footer: t.title,
    },
    p.sections,
    opts,
  );
}

export const wd8FileName = (p: Pick<Wd8Packet, 'month' | 'country'>, ext: 'xlsx' | 'pdf') =>
  `wd8-${p.month}${p.country ? `-${p.country}` : ''}.${ext}`;
