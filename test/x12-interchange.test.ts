import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseInterchange, parseSegments, X12Error } from '../src/modules/x12/index.ts';

/**
 * The X12 syntax layer on the OopFactory samples (CDDL-1.0, test/fixtures/bank/README.md): pretty-printed,
 * with BOMs, CRLF, and segment terminators `~`, `\`, `^` and CR. The expected delimiters, control numbers and
 * segment counts are those computed independently in oopfactory_x12.summary.json.
 */
const dir = new URL('fixtures/bank/x12/', import.meta.url);
const summary = JSON.parse(readFileSync(new URL('oopfactory_x12.summary.json', dir), 'utf8')) as {
  files: Record<
    string,
    {
      element_separator: string;
      component_separator: string;
      segment_terminator: string;
      isa13_control: string;
      segment_count: number;
      transaction_sets: { st01: string; st02: string; segments_in_set: number }[];
    }
  >;
};

describe('X12 interchange', () => {
  for (const [name, facts] of Object.entries(summary.files)) {
    test(`${name}: delimiters, control number, segments`, () => {
      const x = parseInterchange(readFileSync(new URL(name, dir), 'utf8'));
      assert.equal(x.delimiters.element, facts.element_separator);
      assert.equal(x.delimiters.component, facts.component_separator);
      assert.equal(x.delimiters.segment, facts.segment_terminator === '\r' ? '\n' : facts.segment_terminator);
      assert.equal(x.control, facts.isa13_control);
      assert.equal(x.segments.length, facts.segment_count);
      assert.deepEqual(
        x.sets.map((s) => [s.code, s.control, s.segments.length + 2]),
        facts.transaction_sets.map((t) => [t.st01, t.st02, t.segments_in_set]),
      );
    });
  }

  test('repetition separator from ISA11 (version 00402 and later)', () => {
    const x = parseInterchange(readFileSync(new URL('810_Example3_MultiInvoice.txt', dir), 'utf8'));
    assert.equal(x.delimiters.repetition, '^');
    const hd = parseInterchange(readFileSync(new URL('820_Example3_HomeDepot.txt', dir), 'utf8'));
    assert.equal(hd.delimiters.repetition, '|');
  });

  test('broken interchanges are refused with the segment position', () => {
    const text = readFileSync(new URL('820_Example5_Wikipedia.txt', dir), 'utf8');
    const fails = (input: string, segment: number, reason: RegExp) =>
      assert.throws(
        () => parseInterchange(input),
        (e: unknown) => e instanceof X12Error && e.segment === segment && reason.test(e.reason),
      );
    // truncated after the SE: no GE/IEA
    fails(text.slice(0, text.indexOf('GE*')), 16, /without its IEA/);
    // a segment lost: SE01 no longer counts right
    fails(
      text.replace(/\s*DTM\*[^\\]*\\/, ''),
      15,
      /SE01 says 14 segments but transaction set 987600111 has 13/,
    );
    fails(text.replace('TRN*1', 'tRN*1'), 5, /does not start with a segment id/);
    fails(text.slice(0, 50), 1, /fewer than 16 elements/);
  });

  test('bare segments (an 820 inside CTX addenda) with the delimiters found there', () => {
    const { delimiters, segments } = parseSegments('BPR*C*100*C*ACH*CTX\\TRN*1*X1\\RMR*IV*10043*PI*100\\');
    assert.equal(delimiters.element, '*');
    assert.equal(delimiters.segment, '\\');
    assert.deepEqual(
      segments.map((s) => s.id),
      ['BPR', 'TRN', 'RMR'],
    );
    assert.deepEqual(segments[2]!.elements, ['IV', '10043', 'PI', '100']);
  });
});
