/**
 * The payment advice of one partner in one payment batch (PDF and XLSX): partner and account, payment
 * method, batch and payment date, each claim and line with claimed, approved, paid and the variance with the
 * rule codes that explain it, and totals. Read through the caller's connection, so row security decides who
 * may have it: another organisation's advice does not exist. Amounts stay decimal strings; sums use Decimal.
 */
import { Decimal } from 'decimal.js';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import type { PdfOptions } from '../claims/statement.ts';
import type { Renderer } from '../platform/index.ts';
import { safeFileName } from '../platform/pdf.ts';
import {
  type AdviceClaim,
  type AdviceFile,
  type AdviceLine,
  type PaymentAdvice,
  renderAdviceBoth,
  renderAdvicePdf,
  renderAdviceXlsx,
  splitAdviceBoth,
} from './advice-render.ts';
import type { BatchFile } from './files.ts';

export {
  type AdviceClaim,
  type AdviceFile,
  type AdviceLine,
  adviceLinesInPdf,
  type PaymentAdvice,
  renderAdvicePdf,
  renderAdviceXlsx,
} from './advice-render.ts';

/** The module whose renderers the rendering threads load (light: rendering only). */
const adviceRenderer = new URL('./advice-render.ts', import.meta.url).href;

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const sum = (values: readonly string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0)).toFixed(2);

/** The advice of `accountId` in `batchId`; not_found when the caller sees no payment of it there. */
export async function getPaymentAdvice(db: Db, batchId: string, accountId: string): Promise<PaymentAdvice> {
  const [advice] = await getPaymentAdvices(db, batchId, [accountId]);
  if (!advice)
    throw new AppError('not_found', `There is no payment advice for ${accountId} in batch ${batchId}.`);
  return advice;
}

/**
 * The advices of several partners of `batchId` in two queries (a run reads its advices a slice of partners at
 * a time), in the order of `accountIds`; a partner the caller sees no payment of has none.
 */
export async function getPaymentAdvices(
  db: Db,
  batchId: string,
  accountIds: readonly string[],
): Promise<PaymentAdvice[]> {
  // Both reads in one transaction: the run's own when there is one (no savepoint around two selects).
  const read = async (tx: Db): Promise<PaymentAdvice[]> => {
    const { rows: payments } = await tx.query<{
      account_id: string;
      claim_id: string;
      partner_name: string | null;
      method: string;
      currency: string;
      paid: string;
      payment_date: string;
      document_id: string | null;
      program_id: string | null;
      submitted_date: string | null;
      sla_priority: boolean;
      payment_status: string;
      deducted: string;
      deductions: string;
    }>(
      `select s.account_id, s.claim_id, s.sla_priority, s.status as payment_status, a.name as partner_name, s.method,
         s.currency, s.amount::text as paid,
         to_char(coalesce(s.paid_on, s.as_of), 'YYYY-MM-DD') as payment_date, s.document_id, c.program_id,
         to_char(c.submitted_date, 'YYYY-MM-DD') as submitted_date,
         coalesce((select sum(d.amount) from deduction_claims d where d.account_id = s.account_id
           and d.claim_id = s.claim_id and d.reversed_at is null), 0)::numeric(18, 2)::text as deducted,
         coalesce((select string_agg(d.deduction_id, ';' order by d.deduction_id) from deduction_claims d
           where d.account_id = s.account_id and d.claim_id = s.claim_id and d.reversed_at is null), '') as deductions
       from settlement_payments s
       join claims c on c.account_id = s.account_id and c.claim_id = s.claim_id
       left join accounts a on a.account_id = s.account_id
       where s.batch_id = $1 and s.account_id = any($2)
       order by s.account_id, s.sla_priority desc, s.claim_id`,
      [batchId, accountIds],
    );
    if (payments.length === 0) return [];
    const { rows: lines } = await tx.query<{
      account_id: string;
      claim_id: string;
      line_no: number;
      sku: string | null;
      claimed_amount: string;
      approved_amount: string;
      rule_codes: string;
    }>(
      `select l.account_id, l.claim_id, l.line_no, l.sku,
         coalesce(l.claimed_amount, 0)::numeric(18, 2)::text as claimed_amount,
         coalesce(l.approved_amount, 0)::numeric(18, 2)::text as approved_amount,
         coalesce((select string_agg(distinct f.rule_code, ';' order by f.rule_code) from claim_findings f
           where f.account_id = l.account_id and f.claim_id = l.claim_id and f.line_no = l.line_no
             and f.effect in ('reject', 'adjust') and f.resolution is distinct from 'overridden'), '')
           as rule_codes
       from claim_lines l
       join jsonb_to_recordset($1::jsonb) as p(account_id text, claim_id text)
         on l.account_id = p.account_id and l.claim_id = p.claim_id
       order by l.account_id, l.claim_id, l.line_no`,
      [JSON.stringify(payments.map((p) => ({ account_id: p.account_id, claim_id: p.claim_id })))],
    );
    const key = (accountId: string, claimId: string) => `${accountId}\u0000${claimId}`;
    const linesOf = Map.groupBy(
      lines.map(({ account_id, ...l }): AdviceLine & { account_id: string } => ({
        ...l,
        account_id,
        paid_amount: l.approved_amount,
        variance: new Decimal(l.claimed_amount).minus(l.approved_amount).toFixed(2),
      })),
      (l) => key(l.account_id, l.claim_id),
    );
    const paymentsOf = Map.groupBy(payments, (p) => p.account_id);
    const advices: PaymentAdvice[] = [];
    for (const accountId of accountIds) {
      const own = paymentsOf.get(accountId);
      if (!own) continue;
      paymentsOf.delete(accountId);
      const first = own[0]!;
      const claims: AdviceClaim[] = own.map((p) => {
        const claimLines: AdviceLine[] = (linesOf.get(key(accountId, p.claim_id)) ?? []).map(
          ({ account_id: _, ...l }) => l,
        );
        const claimed = sum(claimLines.map((l) => l.claimed_amount));
        return {
          claim_id: p.claim_id,
          program_id: p.program_id,
          submitted_date: p.submitted_date,
          document_id: p.document_id,
          claimed_amount: claimed,
          approved_amount: sum(claimLines.map((l) => l.approved_amount)),
          paid_amount: new Decimal(p.paid).toFixed(2),
          deducted_amount: p.deducted,
          deductions: p.deductions,
          variance: new Decimal(claimed).minus(p.paid).minus(p.deducted).toFixed(2),
          rule_codes: [...new Set(claimLines.flatMap((l) => (l.rule_codes ? l.rule_codes.split(';') : [])))]
            .sort()
            .join(';'),
          sla_priority: p.sla_priority,
          payment_status: p.payment_status,
          lines: claimLines,
        };
      });
      advices.push({
        batch_id: batchId,
        account_id: accountId,
        partner_name: first.partner_name ?? accountId,
        method: first.method,
        currency: first.currency,
        payment_date: first.payment_date,
        status: own.every((p) => p.payment_status === 'reversed')
          ? 'reversed'
          : own.some((p) => p.payment_status === 'created')
            ? 'awaiting_release'
            : 'paid',
        claims,
        totals: {
          claimed_amount: sum(claims.map((c) => c.claimed_amount)),
          approved_amount: sum(claims.map((c) => c.approved_amount)),
          deducted_amount: sum(claims.map((c) => c.deducted_amount)),
          paid_amount: sum(claims.map((c) => c.paid_amount)),
          variance: sum(claims.map((c) => c.variance)),
        },
      });
    }
    return advices;
  };
  return db.client ? read(db) : db.tx(read);
}

export const adviceFileBase = (batchId: string, accountId: string) =>
  `${safeFileName(batchId)}-advice-${safeFileName(accountId)}`;

export async function paymentAdvicePdf(
  db: Db,
  batchId: string,
  accountId: string,
  opts: PdfOptions = {},
): Promise<AdviceFile> {
  const advice = await getPaymentAdvice(db, batchId, accountId);
  return {
    fileName: `${adviceFileBase(batchId, accountId)}.pdf`,
    content: await renderAdvicePdf(advice, opts),
  };
}

export async function paymentAdviceXlsx(db: Db, batchId: string, accountId: string): Promise<AdviceFile> {
  const advice = await getPaymentAdvice(db, batchId, accountId);
  return { fileName: `${adviceFileBase(batchId, accountId)}.xlsx`, content: await renderAdviceXlsx(advice) };
}

/**
 * The advices of every partner paid in the batch, `<batch>-advice-<account>.pdf` and `.xlsx`, one partner at a
 * time (a batch may pay thousands of partners: the caller stores each as it comes, so they never all sit in
 * memory at once).
 */
/** Partners whose advices a run reads in one go, at most… */
const advicesPerRead = 50;
/**
 * …and lines, unless one partner has more: a read holds its advices whole, and a partner paid for a year of
 * sell-out has tens of thousands of lines.
 */
const linesPerRead = 10_000;
/** Lines of advices read or rendering at once, at most (one advice whatever its size): what bounds memory. */
const linesInFlight = 20_000;

export async function* renderAdviceFiles(
  db: Db,
  batchId: string,
  renderer?: Renderer,
): AsyncGenerator<BatchFile> {
  const { rows } = await db.query<{ account_id: string; lines: number }>(
    `select s.account_id, sum((select count(*) from claim_lines l
       where l.account_id = s.account_id and l.claim_id = s.claim_id))::int as lines
     from settlement_payments s where s.batch_id = $1 group by s.account_id order by s.account_id`,
    [batchId],
  );
  // Not an async function: the advice (cloned to a thread at once) is not held while its files are made.
  const render = (advice: PaymentAdvice): Promise<BatchFile[]> => {
    const accountId = advice.account_id;
    const base = adviceFileBase(batchId, accountId);
    // Both files in one piece of work: the advice is copied to a thread once.
    const both = renderer
      ? renderer.render(adviceRenderer, 'renderAdviceBoth', advice)
      : renderAdviceBoth(advice);
    return both.then((joined) => {
      const { pdf, xlsx } = splitAdviceBoth(joined);
      return [
        { fileName: `${base}.pdf`, kind: 'advice', mediaType: 'application/pdf', content: pdf, accountId },
        { fileName: `${base}.xlsx`, kind: 'advice', mediaType: xlsxType, content: xlsx, accountId },
      ];
    });
  };
  // Up to the renderer's width of advices in flight, and no more lines (read or rendering) than
  // linesInFlight: threads render them while the next partners' advices are read (in the run's transaction,
  // one query after another, the next slice asked for before this one's advices are handed out) and the
  // finished files stored, in order.
  const width = renderer?.width ?? 1;
  const linesOf = new Map(rows.map((r) => [r.account_id, r.lines]));
  const slices: { accounts: string[]; lines: number }[] = [];
  for (const r of rows) {
    const last = slices.at(-1);
    if (last && last.accounts.length < advicesPerRead && last.lines + r.lines <= linesPerRead) {
      last.accounts.push(r.account_id);
      last.lines += r.lines;
    } else slices.push({ accounts: [r.account_id], lines: r.lines });
  }
  const inFlight: { files: Promise<BatchFile[]>; lines: number }[] = [];
  const reads: { advices: Promise<PaymentAdvice[]>; lines: number }[] = [];
  let lines = 0;
  let nextSlice = 0;
  const read = () => {
    const slice = slices[nextSlice++]!;
    const advices = getPaymentAdvices(db, batchId, slice.accounts);
    advices.catch(() => undefined); // awaited in turn below
    reads.push({ advices, lines: slice.lines });
    lines += slice.lines;
  };
  const done = async () => {
    const first = inFlight.shift()!;
    lines -= first.lines;
    return first.files;
  };
  const room = () => nextSlice < slices.length && lines + slices[nextSlice]!.lines <= linesInFlight;
  if (slices.length > 0) read();
  while (reads.length > 0) {
    const slice = reads.shift()!;
    const advices = await slice.advices;
    if (room()) read();
    let handed = 0;
    // Taken out of the slice one by one: an advice handed to the renderer is not held here meanwhile.
    for (let advice = advices.shift(); advice; advice = advices.shift()) {
      const adviceLines = linesOf.get(advice.account_id) ?? 0;
      const files = render(advice);
      files.catch(() => undefined); // awaited in turn below; a failure is thrown there
      inFlight.push({ files, lines: adviceLines });
      handed += adviceLines;
      while (inFlight.length >= width) yield* await done();
    }
    lines -= slice.lines - handed; // partners the caller sees no payment of
    if (reads.length === 0 && nextSlice < slices.length) {
      while (inFlight.length > 0 && !room()) yield* await done();
      read();
    }
  }
  while (inFlight.length > 0) yield* await done();
}
