import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { programApprovers } from './contract-roles.ts';
import { findVersion, markApproved } from './program-versions.ts';
import { type VersionSummary, versionSummary } from './programs.ts';

/**
 * Approves a draft. Four eyes: the person who created the draft may not approve it (the system and the
 * CLI operator's own loads are exempt: they carry no person).
 */
export async function approveVersion(db: Db, programId: string, version: number): Promise<VersionSummary> {
  requireRole(db.actor, programApprovers);
  return db.tx(async (tx) => {
    const v = await findVersion(tx, programId, version, true);
    if (!v) throw notFound(`Version ${version} of the program ${programId}`);
    if (v.status !== 'draft') {
      throw new AppError(
        'conflict',
        `Version ${version} of ${programId} is ${v.status}; only a draft can be approved.`,
      );
    }
    if (tx.actor.userId !== null && v.created_by_id === tx.actor.userId) {
      throw new AppError(
        'forbidden',
        `You prepared version ${version} of ${programId}; another approver must approve it.`,
      );
    }
    return versionSummary(await markApproved(tx, v));
  });
}
