/**
 * Cells checked and typed in Node as a file streams past, for the streamed load (streamed.ts). These are not
 * a second set of rules: every reason a file is refused for is worked out by checks.ts's SQL, and the
 * patterns here are the ones checks.ts declares (read as JavaScript regular expressions). A cell is accepted
 * here only when checks.ts would accept it too and type it to the same value; anything else — a bad cell, but
 * also a good cell written unusually ("-0", a non-ASCII currency) — sends the whole file to the checked load,
 * which names the problems. test/imports-streamed.test.ts holds that acceptance here implies acceptance there
 * (fast-check against the SQL).
 */
import { amountPattern, calendarDatePattern, idForbidden, intPattern, textForbidden } from './checks.ts';
import type { Column } from './templates.ts';

export const currencies = Intl.supportedValuesOf('currency');
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
export const countries = (() => {
  const list: string[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = regionNames.of(code);
      if (name && name !== code && name !== 'Unknown Region') list.push(code);
    }
  }
  return list;
})();

/** A SQL string literal of checks.ts ('…') as the JavaScript regular expression it spells. */
const regexOf = (sqlLiteral: string) => new RegExp(sqlLiteral.slice(1, -1).replaceAll("''", "'"), 'u');

const amount = regexOf(amountPattern);
const int = regexOf(intPattern);
const calendar = regexOf(calendarDatePattern);
// NUL never reaches here (text-check.ts refuses it); it is in both sets so that nothing else could let it by.
const idBad = new RegExp(`[\\u0000${regexOf(idForbidden).source.slice(1)}`, 'u');
const textBad = new RegExp(`[\\u0000${regexOf(textForbidden).source.slice(1)}`, 'u');
const ascii = /^[\x20-\x7e]*$/;
const currencySet = new Set(currencies);
const countrySet = new Set(countries);

/** The column types cells.ts can accept; a template with another type loads the checked way only. */
export function streamable(col: Column): boolean {
  return col.type !== 'email' && col.type !== 'routing' && col.type !== 'bank_account';
}

/** SQL's btrim(x): spaces only, not tabs or other white space. */
export function btrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** A typed value as a cell of COPY's CSV format: empty for null, quoted when it holds a quote, comma or line break. */
export function csvField(v: string | null): string {
  if (v === null) return '';
  return v === '' || /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The reason to leave the streamed load (internal: the checked load names the real problem). */
export const notHere = Symbol('not accepted here');

/**
 * Whether a record's line holds none of the characters ids forbid (a superset of those text forbids) and no
 * backslash: then no cell of it needs the per-cell character checks. One regular expression per row instead
 * of one per cell.
 */
export function plainLine(line: string): boolean {
  return line.indexOf('\\') < 0 && !idBad.test(line);
}

/**
 * The cell of column `col` (null when the column is not in the file) as its typed value written as COPY reads
 * it (an array as its literal; null: SQL NULL), or `notHere` when the cell is not certainly good. `plain`:
 * the cell's line passed `plainLine`.
 */
export function cellEncoder(
  col: Column,
): (raw: string | null, plain?: boolean) => string | null | typeof notHere {
  const fallback = col.default !== undefined ? col.default : null;
  const empty = col.required && col.default === undefined ? notHere : fallback;
  const scale = col.scale ?? (col.type === 'amount' ? 2 : 4);
  const check = ((): ((v: string, plain: boolean) => string | typeof notHere) => {
    switch (col.type) {
      case 'id':
        return (v, plain) => (v.length > 100 || (!plain && idBad.test(v)) ? notHere : v);
      case 'text':
        return (v, plain) => (!plain && textBad.test(v) ? notHere : v);
      case 'date':
        return (v) => {
          if (!calendar.test(v)) return notHere;
          const day = Number(v.slice(8, 10));
          return day <= 28 || day <= daysIn(Number(v.slice(0, 4)), Number(v.slice(5, 7))) ? v : notHere;
        };
      case 'amount':
      case 'price':
        return (v) => {
          if (!amount.test(v) || (!col.signed && v.charCodeAt(0) === 45)) return notHere;
          const dot = v.indexOf('.');
          return dot >= 0 && v.length - dot - 1 > scale ? notHere : v;
        };
      case 'int':
        return (v) => (!int.test(v) || (col.min !== undefined && Number(v) < col.min) ? notHere : v);
      case 'currency':
        return (v) => {
          const u = v.toUpperCase();
          return ascii.test(v) && currencySet.has(u) ? u : notHere;
        };
      case 'country':
        return (v) => {
          const u = v.toUpperCase();
          return ascii.test(v) && countrySet.has(u) ? u : notHere;
        };
      case 'serials':
        return (v, plain) => {
          if (v.length > 100_000 || (!plain && idBad.test(v))) return notHere;
          const items = v
            .split(';')
            .map(btrim)
            .filter((e) => e !== '');
          return `{${items.map((e) => `"${e.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
        };
      case 'email':
      case 'routing':
      case 'bank_account':
        return () => notHere;
      default: {
        const values = new Set(col.type.enum);
        return (v) => {
          const l = v.toLowerCase();
          return ascii.test(v) && values.has(l) ? l : notHere;
        };
      }
    }
  })();
  return (raw, plain = false) => {
    if (raw === null) return fallback;
    const v = btrim(raw);
    return v === '' ? empty : check(v, plain);
  };
}

/**
 * One CSV record on one line, split as RFC 4180 reads it (csv-parse and COPY agree on these), or null when
 * the line is anything else: a quote inside an unquoted cell, text after a closing quote, a quoted cell
 * running past the line. csv-parse alone took longer than the whole bare COPY of the file (14 s for 1 M
 * rows), the load's bottleneck; this handles only the plain case and leaves the rest to the checked load.
 * test/imports-streamed.test.ts compares it with csv-parse.
 */
export function splitCsvLine(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  const cells: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return null;
        if (line.charCodeAt(quote + 1) === 34) {
          v += line.slice(i, quote + 1);
          i = quote + 2;
          continue;
        }
        v += line.slice(i, quote);
        i = quote + 1;
        break;
      }
      cells.push(v);
      if (i === n) return cells;
      if (line.charCodeAt(i) !== 44) return null;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      const v = line.slice(i, end);
      if (v.indexOf('"') >= 0) return null;
      cells.push(v);
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}
