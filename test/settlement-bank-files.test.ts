import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { type PaidClaim, renderBatchFiles } from '../src/modules/settlement/index.ts';

/**
 * The check register and wire instructions a treasury uploads to its bank portal: every field as the CSV
 * format and a spreadsheet read it — one record per payee, no formula, no hidden control character.
 */
const originator = {
  companyName: 'Clearhouse',
  companyId: '1234567890',
  immediateOrigin: '1234567890',
  immediateDestination: '011000015',
  odfi: '01100001',
};

const paid = (over: Partial<PaidClaim>): PaidClaim => ({
  account_id: 'P-1',
  account_name: 'Partner',
  claim_id: 'CLM-1',
  batch_id: 'PB-000001',
  method: 'wire',
  currency: 'USD',
  amount: '10.00',
  document_id: null,
  bank_routing_number: '011000015',
  bank_account_number: '12345678',
  sla_priority: false,
  sla_due_date: null,
  ...over,
});

const hostile = {
  account_id: 'P-2',
  account_name: '=HYPERLINK("http://evil.test","Pay")\r\nPB-9,Mallory,P-9,011000015,999,1000000.00\u202e',
  claim_id: '+CLM\t2',
};

describe('check register and wire instructions', () => {
  for (const method of ['wire', 'check'] as const) {
    test(`${method}: names and references are plain text, one record per payee, formulas neutralised`, async () => {
      const files = await renderBatchFiles(
        {
          batch_id: 'PB-000001',
          method,
          currency: 'USD',
          payments: [paid({ method }), paid({ method, ...hostile })],
        },
        '2026-11-24',
        originator,
      );
      const csv = files.find((f) => f.fileName.endsWith('.csv'))!;
      const records = parse(csv.content.toString('utf8'), { columns: true }) as Record<string, string>[];
      assert.equal(records.length, 2, 'one record per payee: a line break in a name adds none');
      const evil = records.find((r) => r.account_id === 'P-2')!;
      assert.ok(evil.payee!.startsWith(`'=HYPERLINK`), evil.payee);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be there
      assert.doesNotMatch(evil.payee!, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
      assert.equal(evil.claim_references, `'+CLM 2`);
      assert.equal(evil.amount, '10.00');
      for (const line of csv.content.toString('utf8').trimEnd().split('\n')) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be there
        assert.doesNotMatch(line, /[\u0000-\u0009\u000b-\u001f\u202a-\u202e]/);
      }
    });
  }
});
