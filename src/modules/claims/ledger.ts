/**
 * The claim-validation ledger: RULES.md applied to one line at a time, in processing order, against what
 * earlier lines consumed (sell-out units and serial numbers, deal quantities, the partner's inventory,
 * protected quantities of price drops, budgets, funds and period calculations). Pure: no I/O, so it is tested
 * rule by rule and by properties, and the result never depends on anything but the ordered input.
 */
import type { Decimal } from 'decimal.js';
import { addDays } from '../../core/dates.ts';
import { Money, minorUnits, roundMoney } from '../../core/money.ts';
import type { LineInput, SellOutRow } from './inputs.ts';
import { decidedStatuses } from './inputs.ts';

export type Effect = 'reject' | 'adjust' | 'review' | 'report';
export type LineStatus = 'approved' | 'adjusted' | 'review' | 'rejected';

export interface Finding {
  rule_code: string;
  effect: Effect;
  detail: string;
  evidence: Record<string, unknown>;
}

export interface LineResult {
  account_id: string;
  claim_id: string;
  line_no: number;
  status: LineStatus;
  approved_qty: number | null;
  approved_unit_amount: string | null;
  approved_amount: string;
  calculated_amount: string | null;
  matched_sell_out_ref: string | null;
  program_version: number | null;
  findings: Finding[];
  /** False for decided claims, whose stored result stands (the ledger only replays their consumption). */
  evaluated: boolean;
}

export const unitTypes = ['special_bid', 'sell_out', 'price_protection'];
export const periodTypes = ['volume_tier', 'growth', 'mdf'];
/** Programs whose lines are sales to end customers, matched to sell-out lines and credited against stock. */
const sellTypes = ['special_bid', 'sell_out'];
/**
 * Whether an analyst's resolution lifts a finding's effect. An override does. An adjustment sets the line's
 * amount to the analyst's own figure (never above what is claimed): it lifts the cap on the unit amount,
 * but no limit on what the line consumes (sell-out units, deal quantity, stock, protected quantity, budget,
 * the period's calculation), so nothing is ever credited beyond what the rules allow.
 */
const lifts = (resolution: string | undefined, code: string) =>
  resolution === 'overridden' || (resolution === 'adjusted' && code === 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED');

const zero = new Money(0);
/**
 * Decimals of the strings a run sees over and over (unit amounts, program terms, common line amounts) are
 * made once: decimals are immutable, and parsing costs more than the rules that use them.
 */
const decimals = new Map<string, Decimal>();
const dec = (v: string | number | null | undefined): Decimal => {
  if (typeof v !== 'string') return new Money(v ?? 0);
  let d = decimals.get(v);
  if (d === undefined) {
    if (decimals.size >= 100_000) decimals.clear();
    d = new Money(v);
    decimals.set(v, d);
  }
  return d;
};
/**
 * The results of the decimal work a line does on decimals the run has seen before (made by `dec`, or here):
 * decimals are immutable, so a product, a rounding or a rendering of one is made once and then looked up by
 * the decimal itself (the memo goes when the decimal does).
 */
const products = new WeakMap<Decimal, Map<number, Decimal>>();
const timesInt = (d: Decimal, n: number): Decimal => {
  let byN = products.get(d);
  if (byN === undefined) {
    byN = new Map();
    products.set(d, byN);
  }
  let p = byN.get(n);
  if (p === undefined) {
    p = d.times(n);
    byN.set(n, p);
  }
  return p;
};
const roundings = new WeakMap<Decimal, Map<string, Decimal>>();
/** `roundMoney`, once per decimal and currency. */
const rounded = (d: Decimal, currency: string): Decimal => {
  let byCurrency = roundings.get(d);
  if (byCurrency === undefined) {
    byCurrency = new Map();
    roundings.set(d, byCurrency);
  }
  let r = byCurrency.get(currency);
  if (r === undefined) {
    r = roundMoney(d, currency);
    byCurrency.set(currency, r);
  }
  return r;
};
const renderings = new WeakMap<Decimal, Map<number, string>>();
/** `d.toFixed(places)` (places -1: `d.toFixed()`), once per decimal. */
const fixed = (d: Decimal, places: number): string => {
  let byPlaces = renderings.get(d);
  if (byPlaces === undefined) {
    byPlaces = new Map();
    renderings.set(d, byPlaces);
  }
  let f = byPlaces.get(places);
  if (f === undefined) {
    f = places < 0 ? d.toFixed() : d.toFixed(places);
    byPlaces.set(places, f);
  }
  return f;
};
const minorDigits = new Map<string, number>();
const minorOf = (currency: string): number => {
  let m = minorDigits.get(currency);
  if (m === undefined) {
    m = minorUnits(currency);
    minorDigits.set(currency, m);
  }
  return m;
};
/** Whether a claimed amount differs from the computed one by more than the tolerance, once per pair. */
const mismatches = new WeakMap<Decimal, WeakMap<Decimal, boolean>>();
const differs = (computed: Decimal, claimed: Decimal, half: Decimal): boolean => {
  let byClaimed = mismatches.get(computed);
  if (byClaimed === undefined) {
    byClaimed = new WeakMap();
    mismatches.set(computed, byClaimed);
  }
  let d = byClaimed.get(claimed);
  if (d === undefined) {
    d = computed.minus(claimed).abs().gt(half);
    byClaimed.set(claimed, d);
  }
  return d;
};
/** max(0, d) without a new decimal. */
const nonNegative = (d: Decimal): Decimal => (d.gt(zero) ? d : zero);
/** Half of the currency's minor unit: the tolerance of ARITHMETIC_ERROR. */
const halves = new Map<string, Decimal>();
const halfMinorUnit = (currency: string): Decimal => {
  let h = halves.get(currency);
  if (h === undefined) {
    h = new Money(10).pow(-minorUnits(currency)).div(2);
    halves.set(currency, h);
  }
  return h;
};
/** The last day of a claim window, for the few (date, days) pairs a run sees. */
const windowEnds = new Map<string, Map<number, string>>();
const windowEnd = (from: string, days: number): string => {
  let byDays = windowEnds.get(from);
  if (byDays === undefined) {
    if (windowEnds.size >= 100_000) windowEnds.clear();
    byDays = new Map();
    windowEnds.set(from, byDays);
  }
  let end = byDays.get(days);
  if (end === undefined) {
    end = addDays(from, days);
    byDays.set(days, end);
  }
  return end;
};
/** A map of maps, so that lookups by two keys need no joined key string. */
class ByTwo<V> {
  private readonly outer = new Map<string, Map<string, V>>();
  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }
  set(a: string, b: string, value: V): void {
    let inner = this.outer.get(a);
    if (inner === undefined) {
      inner = new Map();
      this.outer.set(a, inner);
    }
    inner.set(b, value);
  }
}
const minDec = (...values: Decimal[]) => values.reduce((a, b) => (b.lt(a) ? b : a));
/** Amounts in details and evidence: at least two decimals (25 → 25.00), more only where they matter. */
const fmt = (d: Decimal) => (d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed());

/**
 * Units credited to a partner's SKU, kept flat for a million lines: triples of (sale date as a number that
 * sorts like the date, units credited, units bought by that date), in sale-date order.
 */
type Credits = number[];
const dayNumber = (date: string) =>
  Number(date.slice(0, 4)) * 512 + Number(date.slice(5, 7)) * 32 + Number(date.slice(8, 10));

export class Ledger {
  /** Units credited per partner and sell-out line. */
  private readonly sellOutCredited = new ByTwo<number>();
  /**
   * Credited serial numbers → the sell-out line they were credited through (`account|ref`), prefixed with
   * `!` when the claim line named the serial (otherwise it is one of the serials of a sell-out line that a
   * line credited without naming any).
   */
  private readonly serials = new Map<string, string>();
  private readonly dealUsed = new Map<string, number>();
  /** Credits per partner and SKU, by sale date. */
  private readonly credits = new ByTwo<Credits>();
  private readonly protectedUsed = new Map<string, number>();
  private readonly budgetUsed = new Map<string, Decimal>();
  private readonly fundUsed = new Map<string, Decimal>();
  private readonly periodApproved = new Map<string, Decimal>();

  /** Validates (or, for a decided claim, replays) one line and records what it consumes. */
  process(line: LineInput): LineResult {
    if (decidedStatuses.includes(line.claim_status) && line.stored_status !== null) return this.replay(line);
    const result = this.evaluate(line);
    if (result.status !== 'rejected') this.consume(line, result);
    return result;
  }

  // ---- consumption ---------------------------------------------------------------------------------------

  private replay(line: LineInput): LineResult {
    const status = line.stored_status as LineStatus;
    const result: LineResult = {
      account_id: line.account_id,
      claim_id: line.claim_id,
      line_no: line.line_no,
      status,
      approved_qty: line.stored_approved_qty,
      approved_unit_amount: line.stored_approved_unit_amount,
      approved_amount: line.stored_approved_amount ?? '0',
      calculated_amount: null,
      matched_sell_out_ref: null,
      program_version: line.program_version,
      findings: [],
      evaluated: false,
    };
    if (status !== 'rejected' && line.claim_status !== 'rejected') {
      const match = this.pickSellOut(line);
      result.matched_sell_out_ref = match?.sell_out_ref ?? null;
      this.consume(line, result);
    }
    return result;
  }

  private consume(line: LineInput, r: LineResult): void {
    const qty = r.approved_qty ?? 0;
    const amount = dec(r.approved_amount);
    // What no later line can be affected by is not remembered (a sell-out line named once, stock that can
    // never bind): a million lines then leave little behind.
    if (r.matched_sell_out_ref && qty > 0 && line.sell_out_shared !== false) {
      const before = this.sellOutCredited.get(line.account_id, r.matched_sell_out_ref) ?? 0;
      this.sellOutCredited.set(line.account_id, r.matched_sell_out_ref, before + qty);
    }
    if (qty > 0) {
      const via = `${line.account_id}|${r.matched_sell_out_ref ?? ''}`;
      const named = line.serial_numbers ?? [];
      if (named.length > 0) {
        for (const s of named) this.serials.set(s, `!${via}`);
      } else {
        // "…the sell-out line it is matched to (and its serial numbers)": unnamed, the line's serials count.
        const match = (line.sell_out ?? []).find((c) => c.sell_out_ref === r.matched_sell_out_ref);
        for (const s of match?.serial_numbers ?? []) if (!this.serials.has(s)) this.serials.set(s, via);
      }
    }
    if (line.program_type === 'special_bid' && line.deal_id && qty > 0) {
      this.dealUsed.set(line.deal_id, (this.dealUsed.get(line.deal_id) ?? 0) + qty);
    }
    // Units credited against the partner's inventory are units sold (special bids and sell-out); a price-
    // protection line credits stock still held on the drop date, which is sold (and claimed) later.
    if (
      sellTypes.includes(line.program_type ?? '') &&
      line.sku &&
      line.sale_date &&
      qty > 0 &&
      line.stock_binds !== false
    ) {
      const list = this.credits.get(line.account_id, line.sku);
      const day = dayNumber(line.sale_date);
      const bought = Number(line.bought_at_sale);
      if (list === undefined) {
        this.credits.set(line.account_id, line.sku, [day, qty, bought]);
      } else {
        // Most credits come in sale-date order: look for the place from the end.
        let at = list.length;
        while (at > 0 && list[at - 3]! > day) at -= 3;
        list.splice(at, 0, day, qty, bought);
      }
    }
    if (line.program_type === 'price_protection' && line.sku && line.sale_date && qty > 0) {
      const key = `${line.account_id}|${line.sku}|${line.sale_date}`;
      this.protectedUsed.set(key, (this.protectedUsed.get(key) ?? 0) + qty);
    }
    if (line.program_version !== null) {
      // Only lines of a program with a budget read what it used (every line of a program has its budget).
      if (line.budget !== null) {
        this.budgetUsed.set(line.program_id, (this.budgetUsed.get(line.program_id) ?? zero).plus(amount));
      }
      if (line.program_type === 'mdf') {
        const key = `${line.program_id}|${line.account_id}`;
        this.fundUsed.set(key, (this.fundUsed.get(key) ?? zero).plus(amount));
      }
      if (line.period_start && line.period_end) {
        const key = `${line.program_id}|${line.account_id}|${line.period_start}|${line.period_end}`;
        this.periodApproved.set(key, (this.periodApproved.get(key) ?? zero).plus(amount));
      }
    }
  }

  /** The sell-out line a claim line matches: by reference, or the first (by ref) with units left. */
  private pickSellOut(line: LineInput): SellOutRow | undefined {
    const candidates = line.sell_out ?? [];
    if (line.sell_out_ref) return candidates[0];
    return candidates.find((c) => this.sellOutLeft(line.account_id, c) > 0) ?? candidates[0];
  }

  /**
   * Serial numbers identify a unit everywhere, whichever partner or program credited it. A serial named on
   * the claim line is a duplicate when an earlier line named it, or credited it through another sell-out
   * line; when the line names none, the serials of its sell-out line are checked the same way. Units of one
   * sell-out line credited without serials are counted by its units left instead (SELL_OUT_QTY_SHORT).
   */
  private creditedSerials(line: LineInput, match: SellOutRow): string[] {
    const named = line.serial_numbers ?? [];
    const via = `${line.account_id}|${match.sell_out_ref}`;
    const credited = (s: string, byName: boolean) => {
      const before = this.serials.get(s);
      if (before === undefined) return false;
      const named = before.startsWith('!');
      return (byName && named) || (named ? before.slice(1) : before) !== via;
    };
    if (named.length > 0) return named.filter((s) => credited(s, true));
    return (match.serial_numbers ?? []).filter((s) => credited(s, false));
  }

  private sellOutLeft(accountId: string, so: SellOutRow): number {
    return so.qty - (this.sellOutCredited.get(accountId, so.sell_out_ref) ?? 0);
  }

  /**
   * The most units that can still be credited at this sale date without credited(≤ d) exceeding
   * bought(≤ d) on any date d from the sale date on.
   */
  private inventoryRoom(line: LineInput): number {
    const list = this.credits.get(line.account_id, line.sku!) ?? [];
    const sale = dayNumber(line.sale_date!);
    let creditedToSale = 0;
    for (let i = 0; i < list.length; i += 3) if (list[i]! <= sale) creditedToSale += list[i + 1]!;
    let room = Number(line.bought_at_sale) - creditedToSale;
    let running = creditedToSale;
    for (let i = 0; i < list.length; i += 3) {
      if (list[i]! <= sale) continue;
      running += list[i + 1]!;
      room = Math.min(room, list[i + 2]! - running);
    }
    return room;
  }

  // ---- the rules -----------------------------------------------------------------------------------------

  private evaluate(line: LineInput): LineResult {
    const findings: Finding[] = [];
    const resolved = line.resolutions ?? {};
    // A rule the claim's policy disables never fires: no finding, and no limit of its own on the line.
    const disabled = line.disabled_rules ?? null;
    const add = (
      rule_code: string,
      effect: Effect,
      detail: string,
      evidence: Record<string, unknown> = {},
    ) => {
      if (disabled?.includes(rule_code)) return;
      findings.push({ rule_code, effect, detail, evidence });
    };
    // An analyst's override keeps the finding on record and lifts its effect.
    const lifted = (code: string) => lifts(resolved[code], code) || (disabled?.includes(code) ?? false);
    const currency = line.program_currency ?? line.claim_currency;
    const claimedAmount = dec(line.claimed_amount);
    const result: LineResult = {
      account_id: line.account_id,
      claim_id: line.claim_id,
      line_no: line.line_no,
      status: 'approved',
      approved_qty: line.qty,
      approved_unit_amount: line.claimed_unit_amount,
      approved_amount: '0',
      calculated_amount: null,
      matched_sell_out_ref: null,
      program_version: line.program_version,
      findings,
      evaluated: true,
    };

    // Header rules.
    if (line.program_version === null || !line.terms || !line.program_type) {
      add('PROGRAM_UNKNOWN', 'reject', `There is no program ${line.program_id} in force.`, {
        program_id: line.program_id,
      });
      const claimedUnit = line.claimed_unit_amount !== null ? dec(line.claimed_unit_amount) : null;
      return this.finish(line, result, { qtyLimit: null, amountLimit: null, unit: claimedUnit, currency });
    }
    const terms = line.terms;
    const type = line.program_type;
    if (!line.enrolled) {
      add('PARTNER_NOT_ENROLLED', 'reject', `${line.account_id} is not enrolled in ${line.program_id}.`, {
        program_id: line.program_id,
        account_id: line.account_id,
        partner_country: line.partner_country,
      });
    }
    if (line.claim_currency !== line.program_currency) {
      add(
        'CURRENCY_MISMATCH',
        'reject',
        `The claim is in ${line.claim_currency}; ${line.program_id} pays in ${line.program_currency}.`,
        { claim_currency: line.claim_currency, program_currency: line.program_currency },
      );
    }
    // The program's required documents, and those the claim's policy adds.
    const required = line.policy_documents?.length
      ? [...new Set([...(terms.required_documents ?? []), ...line.policy_documents])]
      : (terms.required_documents ?? []);
    const missing = required.filter((d) => !line.documents.includes(d));
    if (missing.length > 0) {
      add('MISSING_DOCUMENT', 'review', `Required document(s) not attached: ${missing.join(', ')}.`, {
        required,
        attached: line.documents,
        missing,
      });
    }

    const isUnit = unitTypes.includes(type);
    const half = halfMinorUnit(currency);
    const limits: { qty: number[]; amount: Decimal[] } = { qty: [], amount: [] };
    let unit: Decimal | null = line.claimed_unit_amount !== null ? dec(line.claimed_unit_amount) : null;
    const qty = line.qty ?? 0;

    if (isUnit && line.qty !== null && unit) {
      const computed = timesInt(unit, line.qty);
      if (differs(computed, claimedAmount, half)) {
        add(
          'ARITHMETIC_ERROR',
          'report',
          `${line.qty} × ${fmt(unit)} = ${fmt(computed)}, but ${line.claimed_amount} is claimed.`,
          {
            qty: line.qty,
            claimed_unit_amount: line.claimed_unit_amount,
            claimed_amount: line.claimed_amount,
          },
        );
      }
    }

    // Period and window.
    const deal = line.deal;
    const dealValid =
      type === 'special_bid' &&
      deal !== null &&
      deal.account_id === line.account_id &&
      deal.program_id === line.program_id;
    if (isUnit) {
      const sale = line.sale_date;
      const outsideProgram = sale !== null && (sale < line.program_start! || sale > line.program_end!);
      const outsideDeal = dealValid && sale !== null && (sale < deal.start_date || sale > deal.end_date);
      if (outsideProgram || outsideDeal) {
        add(
          'SALE_OUTSIDE_PERIOD',
          'reject',
          outsideProgram
            ? `The sale on ${sale} is outside the program period ${line.program_start} – ${line.program_end}.`
            : `The sale on ${sale} is outside deal ${deal!.deal_id}'s validity ${deal!.start_date} – ${deal!.end_date}.`,
          {
            sale_date: sale,
            program_start: line.program_start,
            program_end: line.program_end,
            ...(dealValid
              ? { deal_id: deal.deal_id, deal_start: deal.start_date, deal_end: deal.end_date }
              : {}),
          },
        );
      }
    } else if (line.period_start && line.period_end) {
      if (line.period_start < line.program_start! || line.period_end > line.program_end!) {
        add(
          'SALE_OUTSIDE_PERIOD',
          'reject',
          `The claimed period ${line.period_start} – ${line.period_end} is not within the program period ${line.program_start} – ${line.program_end}.`,
          {
            period_start: line.period_start,
            period_end: line.period_end,
            program_start: line.program_start,
            program_end: line.program_end,
          },
        );
      }
    }
    const windowFrom = isUnit ? line.sale_date : line.period_end;
    if (line.claim_window_days !== null && windowFrom) {
      // The policy's grace days extend the program's window.
      const grace = line.late_grace_days ?? 0;
      const days = line.claim_window_days + grace;
      const last = windowEnd(windowFrom, days);
      if (line.submitted_date > last) {
        add(
          'LATE_SUBMISSION',
          'reject',
          `Submitted on ${line.submitted_date}; claims for ${windowFrom} were due by ${last} (${line.claim_window_days} days${grace > 0 ? ` and ${grace} days of grace` : ''}).`,
          {
            submitted_date: line.submitted_date,
            from: windowFrom,
            claim_window_days: line.claim_window_days,
            ...(grace > 0 ? { late_grace_days: grace } : {}),
            due: last,
          },
        );
      }
    }

    let match: SellOutRow | undefined;
    if (isUnit) {
      // Eligibility.
      const skus = terms.eligible_skus;
      const categories = terms.eligible_categories;
      const listed =
        (!skus && !categories) ||
        (line.sku !== null && (skus ?? []).includes(line.sku)) ||
        (line.product_category !== null && (categories ?? []).includes(line.product_category));
      const notDealSku = dealValid && line.sku !== deal.sku;
      if (!listed || notDealSku) {
        add(
          'PRODUCT_NOT_ELIGIBLE',
          'reject',
          notDealSku
            ? `${line.sku} is not the SKU of deal ${deal!.deal_id} (${deal!.sku}).`
            : `${line.sku ?? 'The product'} is not eligible for ${line.program_id}.`,
          {
            sku: line.sku,
            category: line.product_category,
            eligible_skus: skus,
            eligible_categories: categories,
            ...(notDealSku ? { deal_sku: deal!.sku } : {}),
          },
        );
      }
      if (type === 'special_bid' && !dealValid) {
        // Another partner's deal is, to this partner, a deal that does not exist: the same words.
        const why = !line.deal_id
          ? 'No deal is named.'
          : !deal || deal.account_id !== line.account_id
            ? `There is no deal ${line.deal_id}.`
            : `Deal ${line.deal_id} belongs to program ${deal.program_id}.`;
        add('DEAL_UNKNOWN', 'reject', why, { deal_id: line.deal_id });
      }
      if (type === 'special_bid' || type === 'sell_out') {
        const countries = terms.end_customer_countries;
        const wrongCustomer =
          dealValid && deal.end_customer_id !== null && line.end_customer_id !== deal.end_customer_id;
        const wrongCountry =
          countries !== undefined &&
          (line.end_customer_country === null || !countries.includes(line.end_customer_country));
        if (wrongCustomer || wrongCountry) {
          add(
            'END_CUSTOMER_MISMATCH',
            'reject',
            wrongCustomer
              ? `Deal ${deal!.deal_id} is for end customer ${deal!.end_customer_id}, not ${line.end_customer_id ?? '(none)'}.`
              : // End customers are the company's records: the partner is not told where one is (nor
                // whether it exists), only that it is not in a country the program covers.
                `End customer ${line.end_customer_id ?? '(none)'} is not in a country the program covers (${countries!.join(', ')}).`,
            {
              end_customer_id: line.end_customer_id,
              deal_end_customer_id: dealValid ? deal.end_customer_id : undefined,
              end_customer_countries: countries,
            },
          );
        }
        // Sell-out match and what is left of it.
        match = this.pickSellOut(line);
        if (!match) {
          add(
            'NO_SELL_OUT_MATCH',
            'reject',
            line.sell_out_ref
              ? `${line.account_id} reported no sell-out line ${line.sell_out_ref}.`
              : `${line.account_id} reported no sale of ${line.sku} on ${line.sale_date} to ${line.end_customer_id ?? 'an unnamed end customer'}.`,
            {
              sell_out_ref: line.sell_out_ref,
              sku: line.sku,
              sale_date: line.sale_date,
              end_customer_id: line.end_customer_id,
            },
          );
        } else {
          result.matched_sell_out_ref = match.sell_out_ref;
          const left = this.sellOutLeft(line.account_id, match);
          const dupSerials = this.creditedSerials(line, match);
          if (left <= 0 || dupSerials.length > 0) {
            add(
              'DUPLICATE_CLAIM',
              'reject',
              dupSerials.length > 0
                ? `Serial number(s) ${dupSerials.join(', ')} were credited before.`
                : `Sell-out line ${match.sell_out_ref} (${match.qty} units) has been credited in full.`,
              {
                sell_out_ref: match.sell_out_ref,
                sell_out_qty: match.qty,
                uncredited: Math.max(0, left),
                serial_numbers: dupSerials,
              },
            );
          } else if (left < qty) {
            if (!lifted('SELL_OUT_QTY_SHORT')) limits.qty.push(left);
            add(
              'SELL_OUT_QTY_SHORT',
              'adjust',
              `Sell-out line ${match.sell_out_ref} has ${left} uncredited unit(s); ${qty} claimed.`,
              {
                sell_out_ref: match.sell_out_ref,
                sell_out_qty: match.qty,
                uncredited: left,
                claimed_qty: qty,
              },
            );
          }
        }
      }
      if (dealValid) {
        const left = deal.max_qty - (this.dealUsed.get(deal.deal_id) ?? 0);
        if (left < qty) {
          if (!lifted('DEAL_QTY_EXCEEDED')) limits.qty.push(Math.max(0, left));
          add(
            'DEAL_QTY_EXCEEDED',
            'adjust',
            `Deal ${deal.deal_id} has ${Math.max(0, left)} of ${deal.max_qty} unit(s) left; ${qty} claimed.`,
            {
              deal_id: deal.deal_id,
              max_qty: deal.max_qty,
              used: deal.max_qty - left,
              left: Math.max(0, left),
              claimed_qty: qty,
            },
          );
        }
      }
      if ((type === 'special_bid' || type === 'sell_out') && line.sku && line.sale_date) {
        const bought = Number(line.bought_at_sale);
        if (bought <= 0) {
          add('NO_SELL_IN', 'reject', `${line.account_id} had bought no ${line.sku} by ${line.sale_date}.`, {
            sku: line.sku,
            sale_date: line.sale_date,
            bought: 0,
          });
        } else {
          const room = this.inventoryRoom(line);
          if (room < qty) {
            if (!lifted('INSUFFICIENT_INVENTORY')) limits.qty.push(Math.max(0, room));
            add(
              'INSUFFICIENT_INVENTORY',
              'adjust',
              `Crediting ${qty} unit(s) would exceed what ${line.account_id} bought: room for ${Math.max(0, room)}.`,
              {
                sku: line.sku,
                sale_date: line.sale_date,
                bought_by_sale_date: bought,
                room: Math.max(0, room),
                claimed_qty: qty,
              },
            );
          }
        }
      }

      // The entitled amount per unit.
      let entitled: Decimal | null = null;
      if (type === 'special_bid' && dealValid) entitled = dec(deal.authorized_unit_amount);
      if (type === 'sell_out') {
        if (terms.per_unit_amount) entitled = dec(terms.per_unit_amount);
        else if (terms.percent_of_sell_out && match?.unit_price) {
          entitled = dec(terms.percent_of_sell_out).times(match.unit_price);
        }
      }
      if (type === 'price_protection') {
        if (line.drop_old_price === null || line.drop_new_price === null) {
          add(
            'PRICE_DROP_NOT_FOUND',
            'reject',
            `No price decrease of ${line.sku} in ${line.partner_country} took effect on ${line.sale_date}.`,
            { sku: line.sku, country: line.partner_country, date: line.sale_date },
          );
        } else {
          entitled = dec(line.drop_old_price).minus(line.drop_new_price);
          const snapshot = line.snapshot_on_drop === null ? null : Number(line.snapshot_on_drop);
          const window = Number(line.sell_in_in_window);
          const used = this.protectedUsed.get(`${line.account_id}|${line.sku}|${line.sale_date}`) ?? 0;
          const protectedQty = snapshot === null ? 0 : Math.max(0, Math.min(snapshot, window) - used);
          if (protectedQty < qty) {
            if (!lifted('EXCEEDS_PROTECTED_QTY')) limits.qty.push(protectedQty);
            add(
              'EXCEEDS_PROTECTED_QTY',
              'adjust',
              snapshot === null
                ? `No inventory snapshot for ${line.sale_date}: nothing is protected.`
                : `${protectedQty} unit(s) protected (on hand ${snapshot}, bought in the window ${window}, already credited ${used}); ${qty} claimed.`,
              {
                drop_date: line.sale_date,
                on_hand: snapshot,
                bought_in_window: window,
                already_credited: used,
                protected: protectedQty,
                claimed_qty: qty,
              },
            );
          }
        }
      }
      if (entitled && unit?.gt(entitled)) {
        add(
          'UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
          'adjust',
          `${fmt(unit)} per unit is claimed; ${fmt(entitled)} is authorised.`,
          { claimed_unit_amount: fmt(unit), entitled_unit_amount: fmt(entitled) },
        );
        if (!lifted('UNIT_AMOUNT_EXCEEDS_AUTHORIZED')) unit = entitled;
      }
      result.calculated_amount =
        entitled !== null
          ? fixed(rounded(timesInt(entitled, Math.min(qty, ...limits.qty)), currency), minorOf(currency))
          : null;
    } else {
      // Period programs: the company's own calculation, trued up against earlier approvals.
      const calc = this.periodCalculation(line, currency);
      if (calc !== null) {
        const already =
          type === 'mdf'
            ? (this.fundUsed.get(`${line.program_id}|${line.account_id}`) ?? zero)
            : (this.periodApproved.get(
                `${line.program_id}|${line.account_id}|${line.period_start}|${line.period_end}`,
              ) ?? zero);
        const left = calc.amount.minus(already);
        result.calculated_amount = left.toFixed(minorUnits(currency));
        if (claimedAmount.gt(left)) {
          if (!lifted('AMOUNT_EXCEEDS_CALCULATED')) limits.amount.push(Money.max(zero, left));
          add(
            'AMOUNT_EXCEEDS_CALCULATED',
            'adjust',
            type === 'mdf'
              ? `The fund has ${fmt(Money.max(zero, left))} left; ${line.claimed_amount} claimed.`
              : `The company calculates ${fmt(calc.amount)} for the period${already.gt(0) ? `, of which ${fmt(already)} was approved before` : ''}; ${line.claimed_amount} claimed.`,
            {
              ...calc.evidence,
              calculated: fmt(calc.amount),
              approved_before: fmt(already),
              left: fmt(Money.max(zero, left)),
              claimed_amount: line.claimed_amount,
            },
          );
        }
      }
    }

    return this.finish(line, result, {
      qtyLimit: isUnit ? Math.min(qty, ...limits.qty) : null,
      amountLimit: limits.amount.length > 0 ? minDec(...limits.amount) : null,
      unit,
      currency,
      budget: true,
      resolved,
    });
  }

  /** The company's calculation for a period line, rounded to the minor unit. */
  private periodCalculation(
    line: LineInput,
    currency: string,
  ): { amount: Decimal; evidence: Record<string, unknown> } | null {
    const terms = line.terms!;
    const round = (d: Decimal) => roundMoney(d, currency);
    if (line.program_type === 'mdf') {
      const base = dec(line.program_period_revenue);
      const rate = dec(terms.accrual_rate);
      return {
        amount: round(base.times(rate)),
        evidence: { eligible_sell_in: fmt(base), accrual_rate: fmt(rate) },
      };
    }
    const byUnits = terms.basis === 'units';
    const volume = dec(byUnits ? line.period_units : line.period_revenue);
    const tiers = (terms.tiers ?? []).map((t) => ({ from: dec(t.from), rate: dec(t.rate) }));
    if (line.program_type === 'growth') {
      const baseline = dec(byUnits ? line.baseline_units : line.baseline_revenue);
      if (baseline.lte(0)) {
        return {
          amount: zero,
          evidence: { volume: fmt(volume), baseline: fmt(baseline), growth: null, rate: '0' },
        };
      }
      const growth = volume.div(baseline).minus(1);
      const tier = [...tiers].reverse().find((t) => growth.gte(t.from));
      const rate = tier?.rate ?? zero;
      return {
        amount: round(volume.times(rate)),
        evidence: {
          volume: fmt(volume),
          baseline: fmt(baseline),
          growth: fmt(growth.toDecimalPlaces(6)),
          rate: fmt(rate),
        },
      };
    }
    // volume_tier
    if (terms.retroactive) {
      const tier = [...tiers].reverse().find((t) => volume.gte(t.from));
      const rate = tier?.rate ?? zero;
      return {
        amount: round(volume.times(rate)),
        evidence: { volume: fmt(volume), rate: fmt(rate), retroactive: true },
      };
    }
    let total = zero;
    for (const [i, t] of tiers.entries()) {
      const next = tiers[i + 1]?.from;
      const top = next?.lt(volume) ? next : volume;
      if (top.gt(t.from)) total = total.plus(top.minus(t.from).times(t.rate));
    }
    return { amount: round(total), evidence: { volume: fmt(volume), retroactive: false } };
  }

  /** The line's result from its findings and limits (RULES.md "The line's result"). */
  private finish(
    line: LineInput,
    result: LineResult,
    o: {
      qtyLimit: number | null;
      amountLimit: Decimal | null;
      unit: Decimal | null;
      currency: string;
      budget?: boolean;
      resolved?: Record<string, string>;
    },
  ): LineResult {
    const resolved = o.resolved ?? {};
    const lifted = (f: Finding) => lifts(resolved[f.rule_code], f.rule_code);
    const findings = result.findings;
    const claimed = dec(line.claimed_amount);
    const qtyLimit = o.qtyLimit;
    let amount: Decimal = claimed;
    if (qtyLimit !== null && o.unit !== null) amount = minDec(amount, timesInt(o.unit, qtyLimit));
    if (o.amountLimit !== null) amount = minDec(amount, o.amountLimit);
    amount = nonNegative(amount);

    // A confirmed (accepted) review finding rejects the line like a rejecting finding does.
    const rejects = (f: Finding) =>
      (f.effect === 'reject' && !lifted(f)) ||
      (f.effect === 'review' && resolved[f.rule_code] === 'accepted');
    if (
      o.budget &&
      line.budget !== null &&
      !findings.some(rejects) &&
      !line.disabled_rules?.includes('BUDGET_EXCEEDED')
    ) {
      const left = dec(line.budget).minus(this.budgetUsed.get(line.program_id) ?? zero);
      if (left.lt(amount)) {
        findings.push({
          rule_code: 'BUDGET_EXCEEDED',
          effect: 'adjust',
          // The budget is shared by every partner of the program: what the others used, and so the budget
          // itself, is not the partner's to read. The finding states only what this line could get (which
          // its approved amount says anyway); the desk sees the budget on the claim page.
          detail: `The program's budget has ${fmt(Money.max(zero, left))} left for this line; the line needs ${fmt(amount)}.`,
          evidence: { left: fmt(Money.max(zero, left)), amount: fmt(amount) },
        });
        if (!lifts(resolved.BUDGET_EXCEEDED, 'BUDGET_EXCEEDED')) amount = Money.max(zero, left);
      }
    }
    // An analyst's adjustment comes last, so the findings it resolves are still found on the next run: it
    // sets the amount down, never above what is claimed or otherwise due.
    const analyst = line.adjusted_amount != null ? dec(line.adjusted_amount) : null;
    if (analyst !== null) amount = Money.max(zero, minDec(amount, analyst));
    amount = rounded(amount, o.currency);

    const rejecting = findings.some(rejects);
    const adjustedToNothing =
      (findings.some((f) => f.effect === 'adjust' && !lifted(f)) || analyst !== null) &&
      ((qtyLimit !== null && qtyLimit <= 0) || amount.lte(0));
    const waiting = findings.some((f) => f.effect === 'review' && !resolved[f.rule_code]);
    result.approved_qty =
      qtyLimit === null
        ? line.qty !== null && (rejecting || adjustedToNothing)
          ? 0
          : null
        : rejecting || adjustedToNothing
          ? 0
          : qtyLimit;
    result.approved_unit_amount = o.unit === null ? null : fixed(o.unit, -1);
    if (rejecting || adjustedToNothing) {
      result.status = 'rejected';
      result.approved_amount = fixed(zero, minorOf(o.currency));
    } else {
      result.approved_amount = fixed(amount, minorOf(o.currency));
      result.status = waiting ? 'review' : amount.lt(claimed) ? 'adjusted' : 'approved';
    }
    return result;
  }
}
