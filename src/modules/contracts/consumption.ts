import type { Db } from '../../db/db.ts';

/**
 * What claims have consumed of programs and deals. Claims are built by the claims capability: until its
 * tables exist nothing is consumed. These two functions are the only place the contract reads claims, so
 * the claims capability fills them in (a query over approved, adjusted and review claim lines, RULES.md
 * "Processing order and consumption") and every screen and rule that shows "used" and "left" follows.
 */
export interface ClaimAgainst {
  claim_id: string;
  account_id: string;
  status: string;
  submitted_date: string;
  /** Approved amount of the claim's lines against this program or deal. */
  amount: string;
  qty: number | null;
}

export interface ProgramConsumption {
  /** Amount of the budget used, in the program's currency. */
  used: string;
  claims: ClaimAgainst[];
}

export interface DealConsumption {
  used_qty: number;
  claims: ClaimAgainst[];
}

export async function programConsumption(
  _db: Db,
  programIds: readonly string[],
): Promise<Map<string, ProgramConsumption>> {
  // The claims capability replaces this with its query; no claim lines exist yet.
  return new Map(programIds.map((id) => [id, { used: '0.00', claims: [] }]));
}

export async function dealConsumption(
  _db: Db,
  dealIds: readonly string[],
): Promise<Map<string, DealConsumption>> {
  // The claims capability replaces this with its query; no claim lines exist yet.
  return new Map(dealIds.map((id) => [id, { used_qty: 0, claims: [] }]));
}
