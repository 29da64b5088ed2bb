/**
 * Sending X12 to a trading partner: its sets in one interchange addressed to the partner (its ISA and GS ids,
 * or `ZZ` and its account id when it is no trading partner), under the next control number of the partner's
 * sequence, stored ready to be written with one `edi_sets` row per set.
 */
import type { Db } from '../../db/db.ts';
import { type SegmentOut, writeInterchange } from '../x12/index.ts';
import { nextControlNumber, ourIdentity } from './identity.ts';

export interface Sent {
  interchange_id: string;
  account_id: string;
  control_number: string;
}

export async function sendToPartner(
  tx: Db,
  account: string,
  group: { functionalId: string; setCode: string; message: string },
  sets: { reference: string; rows: number; segments: SegmentOut[] }[],
): Promise<Sent> {
  const tp = (
    await tx.query<{ isa_qualifier: string; isa_id: string; gs_id: string; usage: string }>(
      `select isa_qualifier, isa_id, gs_id, usage from edi_trading_partners where account_id = $1`,
      [account],
    )
  ).rows[0];
  const receiver = {
    qualifier: tp?.isa_qualifier ?? 'ZZ',
    id: tp?.isa_id ?? account.slice(0, 15),
    gs: tp?.gs_id ?? account.slice(0, 15),
  };
  const me = ourIdentity();
  const control = await nextControlNumber(tx, receiver.qualifier, receiver.id);
  const usage = tp?.usage === 'test' ? 'T' : 'P';
  const text = writeInterchange({
    senderQualifier: me.qualifier,
    senderId: me.id,
    receiverQualifier: receiver.qualifier,
    receiverId: receiver.id,
    control,
    usage,
    groups: [
      {
        functionalId: group.functionalId,
        senderId: me.id,
        receiverId: receiver.gs,
        control: String(Number(control)),
        sets: sets.map((s) => ({ code: group.setCode, segments: s.segments })),
      },
    ],
  });
  const { rows } = await tx.query<{ interchange_id: string }>(
    `insert into edi_interchanges (account_id, direction, sender_qualifier, sender_id, receiver_qualifier, receiver_id,
       control_number, usage, set_codes, status, content, message)
     values ($1, 'out', $2, $3, $4, $5, $6, $7, $8, 'ready', $9, $10) returning interchange_id`,
    [
      account,
      me.qualifier,
      me.id,
      receiver.qualifier,
      receiver.id,
      control,
      usage,
      [group.setCode],
      text,
      group.message,
    ],
  );
  const interchangeId = rows[0]!.interchange_id;
  await tx.query(
    `insert into edi_sets (account_id, interchange_id, seq, group_control, functional_id, set_code, control_number,
       position, reference, status, rows)
     select $1, $2, s.seq, $3, $4, $5, lpad(s.seq::text, 4, '0'), 0, s.reference, 'sent', s.rows
     from jsonb_to_recordset($6::jsonb) as s(seq int, reference text, rows int)`,
    [
      account,
      interchangeId,
      String(Number(control)),
      group.functionalId,
      group.setCode,
      JSON.stringify(sets.map((s, i) => ({ seq: i + 1, reference: s.reference, rows: s.rows }))),
    ],
  );
  return { interchange_id: interchangeId, account_id: account, control_number: control };
}
