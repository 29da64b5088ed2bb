/**
 * The partner scorecard: how clean a partner's claims are, month by month (by submitted date) — lines
 * validated, findings per rule code, the error rate (share of lines with a rejecting or adjusting finding)
 * and the first-pass rate (lines approved with no finding at all) — and its most frequent errors with the
 * advice the analyst sends. Row security limits partner users to their own organisation; an account the
 * caller may not see does not exist (404).
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';

export interface ScorecardQuery {
  /** A partner account (with its child accounts); all visible partners when absent. */
  account_id?: string | undefined;
  /** Submitted dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface ScorecardFigures {
  lines: number;
  error_lines: number;
  first_pass_lines: number;
  /** Decimal strings with 4 places (share of lines), null when there are no lines. */
  error_rate: string | null;
  first_pass_rate: string | null;
}

export interface ScorecardMonth extends ScorecardFigures {
  month: string;
  /** Lines with each rule code that month. */
  by_rule_code: Record<string, number>;
}

export interface ScorecardError {
  rule_code: string;
  effect: string;
  lines: number;
  /** Share of all validated lines carrying this code. */
  share: string | null;
  months: number;
  last_month: string;
  recommendation: string;
}

export interface Scorecard {
  account_id: string | null;
  partner_name: string | null;
  totals: ScorecardFigures;
  months: ScorecardMonth[];
  rule_codes: string[];
  top_errors: ScorecardError[];
  partners: (ScorecardFigures & { account_id: string; partner_name: string | null })[];
}

/** What the analyst advises a partner for each rule code; `days` is the program's claim window. */
export function recommendationFor(ruleCode: string, ctx: { claimWindowDays?: number | null } = {}): string {
  const days = ctx.claimWindowDays;
  const texts: Record<string, string> = {
    LATE_SUBMISSION: `Submit within ${days ? `${days} days` : 'the program’s claim window'} of the sale (period programs: of the period end); claim weekly rather than at quarter end.`,
    PROGRAM_UNKNOWN: 'Use the program id exactly as published on the portal’s Programs page.',
    PARTNER_NOT_ENROLLED:
      'Claim only on programs you are enrolled in; ask your channel manager to enrol you first.',
    CURRENCY_MISMATCH: 'Claim in the program’s currency as stated in its terms.',
    MISSING_DOCUMENT: 'Attach the documents the program requires (e.g. proof of sale) with the claim.',
    ARITHMETIC_ERROR: 'Check that each line’s amount equals quantity × unit amount, rounded to the cent.',
    SALE_OUTSIDE_PERIOD: 'Claim only sales within the program period and the deal’s validity.',
    PRODUCT_NOT_ELIGIBLE: 'Claim only the deal’s SKU or the program’s eligible products.',
    DEAL_UNKNOWN: 'Quote the special-bid deal id on every special-bid line, exactly as issued.',
    END_CUSTOMER_MISMATCH: 'Name the deal’s end customer and only end customers in the program’s countries.',
    UNIT_AMOUNT_EXCEEDS_AUTHORIZED: 'Claim no more per unit than the deal or program authorises.',
    NO_SELL_OUT_MATCH:
      'Report the sale in your sell-out file before claiming it and quote its sell-out reference.',
    DUPLICATE_CLAIM:
      'Check your claim history before claiming: each sale and serial number is credited once.',
    SELL_OUT_QTY_SHORT: 'Claim no more units than your reported sell-out line holds.',
    DEAL_QTY_EXCEEDED: 'Track the units left on each deal (portal Deals page) before claiming.',
    NO_SELL_IN: 'Claim only products you bought from us before the sale date.',
    INSUFFICIENT_INVENTORY:
      'Claim only units you bought before the sale; report opening balances if you hold older stock.',
    PRICE_DROP_NOT_FOUND:
      'Claim price protection only for announced price decreases, on their effective date.',
    EXCEEDS_PROTECTED_QTY:
      'Claim price protection only for stock on hand at the price change, bought within the window.',
    BUDGET_EXCEEDED: 'The program budget is used up; check the remaining budget before claiming.',
    AMOUNT_EXCEEDS_CALCULATED:
      'Claim the period amount as calculated from your reported sell-in and sell-out.',
  };
  return (
    texts[ruleCode] ??
    'Review the finding’s detail on each line and correct the claim data before submitting.'
  );
}

const rate = (part: string, whole: string) =>
  `case when ${whole} = 0 then null else round(${part}::numeric / ${whole}, 4)::text end`;

/** The scorecard of one partner (with its child accounts) or of every visible partner. */
export async function scorecard(db: Db, q: ScorecardQuery = {}): Promise<Scorecard> {
  return db.tx(async (tx) => {
    let partnerName: string | null = null;
    if (q.account_id) {
      const { rows } = await tx.query<{ name: string }>('select name from accounts where account_id = $1', [
        q.account_id,
      ]);
      if (!rows[0]) throw new AppError('not_found', `The account ${q.account_id} does not exist.`);
      partnerName = rows[0].name;
    }
    const params = [q.account_id ?? null, q.from ?? null, q.to ?? null];
    // Validated lines in scope, each with whether it has an error finding and any finding.
    const scope = `
      with recursive tree as (
        select account_id from accounts where account_id = $1
        union select a.account_id from accounts a join tree on a.parent_account_id = tree.account_id
      ), scoped as (
        select l.account_id, l.claim_id, l.line_no, l.status, to_char(c.submitted_date, 'YYYY-MM') as month,
          exists (select 1 from claim_findings f where f.account_id = l.account_id and f.claim_id = l.claim_id
                  and f.line_no = l.line_no and f.effect in ('reject', 'adjust')) as has_error,
          exists (select 1 from claim_findings f where f.account_id = l.account_id and f.claim_id = l.claim_id
                  and f.line_no = l.line_no) as has_finding
        from claim_lines l join claims c on c.account_id = l.account_id and c.claim_id = l.claim_id
        where l.status is not null
          and ($1::text is null or l.account_id in (select account_id from tree))
          and ($2::date is null or c.submitted_date >= $2::date)
          and ($3::date is null or c.submitted_date <= $3::date)
      )`;
    const figures = `count(*)::int as lines,
      (count(*) filter (where has_error))::int as error_lines,
      (count(*) filter (where status = 'approved' and not has_finding))::int as first_pass_lines,
      ${rate('count(*) filter (where has_error)', 'count(*)')} as error_rate,
      ${rate("count(*) filter (where status = 'approved' and not has_finding)", 'count(*)')} as first_pass_rate`;
    const months = await tx.query<ScorecardFigures & { month: string }>(
      `${scope} select month, ${figures} from scoped group by month order by month`,
      params,
    );
    const totals = await tx.query<ScorecardFigures>(`${scope} select ${figures} from scoped`, params);
    const byRule = await tx.query<{ month: string; rule_code: string; effect: string; lines: number }>(
      `${scope} select s.month, f.rule_code, min(f.effect) as effect, count(*)::int as lines
       from scoped s join claim_findings f on f.account_id = s.account_id and f.claim_id = s.claim_id
         and f.line_no = s.line_no
       group by s.month, f.rule_code order by s.month, f.rule_code`,
      params,
    );
    const partners = await tx.query<ScorecardFigures & { account_id: string; partner_name: string | null }>(
      `${scope} select s.account_id, a.name as partner_name, ${figures}
       from scoped s left join accounts a on a.account_id = s.account_id
       group by s.account_id, a.name order by s.account_id`,
      params,
    );
    const window = await tx.query<{ days: number | null }>(
      `${scope} select min(v.claim_window_days)::int as days
       from scoped s join claim_findings f on f.account_id = s.account_id and f.claim_id = s.claim_id
         and f.line_no = s.line_no and f.rule_code = 'LATE_SUBMISSION'
       join claims c on c.account_id = s.account_id and c.claim_id = s.claim_id
       join program_versions v on v.program_id = c.program_id and v.version = c.program_version`,
      params,
    );
    const total = totals.rows[0] ?? {
      lines: 0,
      error_lines: 0,
      first_pass_lines: 0,
      error_rate: null,
      first_pass_rate: null,
    };
    const monthRules = new Map<string, Record<string, number>>();
    const errors = new Map<string, { effect: string; lines: number; months: Set<string>; last: string }>();
    for (const r of byRule.rows) {
      const m = monthRules.get(r.month) ?? {};
      m[r.rule_code] = r.lines;
      monthRules.set(r.month, m);
      const e = errors.get(r.rule_code) ?? { effect: r.effect, lines: 0, months: new Set(), last: r.month };
      e.lines += r.lines;
      e.months.add(r.month);
      if (r.month > e.last) e.last = r.month;
      errors.set(r.rule_code, e);
    }
    const share = (n: number) => (total.lines === 0 ? null : (n / total.lines).toFixed(4));
    const claimWindowDays = window.rows[0]?.days ?? null;
    return {
      account_id: q.account_id ?? null,
      partner_name: partnerName,
      totals: total,
      months: months.rows.map((m) => ({ ...m, by_rule_code: monthRules.get(m.month) ?? {} })),
      rule_codes: [...errors.keys()].sort(),
      top_errors: [...errors]
        .map(([rule_code, e]) => ({
          rule_code,
          effect: e.effect,
          lines: e.lines,
          share: share(e.lines),
          months: e.months.size,
          last_month: e.last,
          recommendation: recommendationFor(rule_code, { claimWindowDays }),
        }))
        .sort((a, b) => b.lines - a.lines || b.months - a.months || a.rule_code.localeCompare(b.rule_code)),
      partners: partners.rows,
    };
  });
}
