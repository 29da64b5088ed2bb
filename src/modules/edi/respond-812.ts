/**
 * Outbound 812 (docs/edi.md, "812 out"): a credit memo for a trading partner that asked for 812s — one set
 * per credit memo, sent once (again only when asked for by document id).
 *
 *   BCD*{document_date}*{document_id}*I*{amount}*C
 *   CUR*SE*{currency}
 *   N1*BY**91*{account_id}
 *   REF*CR*{reference}              (what the credit memo is for: the claims it pays)
 *   CDD*RB*C**{amount}              (RB: rebate)
 */
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { type SegmentOut, x12Date } from '../x12/index.ts';
import { ediRoles } from './respond-849.ts';
import { type Sent, sendToPartner } from './send.ts';

interface Memo {
  account_id: string;
  document_id: string;
  document_date: string;
  currency: string;
  amount: string;
  reference: string | null;
}

function set812(m: Memo): SegmentOut[] {
  return [
    ['BCD', x12Date(m.document_date), m.document_id, 'I', m.amount, 'C'],
    ['CUR', 'SE', m.currency],
    ['N1', 'BY', null, '91', m.account_id],
    ...(m.reference
      ? [['REF', 'CR', m.reference.replace(/[*>~^\r\n]/g, ' ').slice(0, 80)] as SegmentOut]
      : []),
    ['CDD', 'RB', 'C', null, m.amount],
  ];
}

/**
 * Makes the 812s: for `documentIds`, those credit memos (again if sent before, for any partner); otherwise
 * every credit memo not yet sent of a trading partner receiving 812s. Stored, ready to be written.
 */
export async function respond812(
  db: Db,
  opts: { documentIds?: readonly string[] } = {},
): Promise<{ interchanges: Sent[]; documents: number }> {
  requireRole(db.actor, ediRoles as never);
  return db.tx(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.edi.812'))`);
    const { rows } = await tx.query<Memo>(
      `select d.account_id, d.document_id, d.document_date::text, d.currency, d.amount::text, d.reference
       from ar_documents d
       where d.type = 'credit_memo'
         and case when $1::text[] is null
               then exists (select 1 from edi_trading_partners t where t.account_id = d.account_id
                              and '812' = any(t.sets_sent))
                    and not exists (select 1 from edi_documents_sent s where s.account_id = d.account_id
                                      and s.document_id = d.document_id and s.set_code = '812')
               else d.document_id = any($1) end
       order by d.account_id collate "C", d.document_date, d.document_id collate "C"`,
      [opts.documentIds ?? null],
    );
    if (opts.documentIds) {
      const missing = opts.documentIds.filter((id) => !rows.some((r) => r.document_id === id));
      if (missing.length > 0) throw new AppError('not_found', `No credit memo ${missing.join(', ')}.`);
    }
    const byPartner = new Map<string, Memo[]>();
    for (const m of rows) byPartner.set(m.account_id, [...(byPartner.get(m.account_id) ?? []), m]);
    const interchanges: Sent[] = [];
    for (const [account, memos] of byPartner) {
      const sent = await sendToPartner(
        tx,
        account,
        { functionalId: 'CD', setCode: '812', message: `812 for ${memos.length} credit memo(s)` },
        memos.map((m) => ({ reference: m.document_id, rows: 1, segments: set812(m) })),
      );
      await tx.query(
        `insert into edi_documents_sent (account_id, document_id, set_code, interchange_id)
         select $1, unnest($2::text[]), '812', $3
         on conflict (account_id, document_id, set_code) do update set interchange_id = excluded.interchange_id,
           sent_at = now()`,
        [account, memos.map((m) => m.document_id), sent.interchange_id],
      );
      interchanges.push(sent);
    }
    return { interchanges, documents: rows.length };
  });
}
