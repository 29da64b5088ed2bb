/**
 * The company's own X12 identity (ISA06/ISA08 and GS02/GS03 on our side) and the control numbers we assign:
 * one sequence per trading partner (the receiver's ISA qualifier and id), taken under the row's lock so two
 * runs never take the same number, and never reused.
 */
import type { Db } from '../../db/db.ts';

export interface OurIdentity {
  qualifier: string;
  id: string;
}

export function ourIdentity(): OurIdentity {
  return {
    qualifier: (process.env.CLEARHOUSE_EDI_QUALIFIER || 'ZZ').slice(0, 2),
    id: (process.env.CLEARHOUSE_EDI_ID || 'CLEARHOUSE').slice(0, 15),
  };
}

/** The next interchange control number for a receiver (1 to 999,999,999, then around again from 1). */
export async function nextControlNumber(
  tx: Db,
  receiverQualifier: string,
  receiverId: string,
): Promise<string> {
  const { rows } = await tx.query<{ n: string }>(
    `insert into edi_control_numbers (partner_key, last_number) values ($1, 1)
     on conflict (partner_key) do update set last_number = edi_control_numbers.last_number % 999999999 + 1
     returning last_number::text as n`,
    [`${receiverQualifier}:${receiverId}`],
  );
  return rows[0]!.n.padStart(9, '0');
}
