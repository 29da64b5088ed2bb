import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { programActivators } from './contract-roles.ts';
import { findVersion, markActive } from './program-versions.ts';
import { type VersionSummary, versionSummary } from './programs.ts';

/**
 * Brings an approved version into force; the version in force until now is superseded. Only an approver
 * (or a manager) activates.
 */
export async function activateVersion(db: Db, programId: string, version: number): Promise<VersionSummary> {
  requireRole(db.actor, programActivators);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ active_version: number | null }>(
      'select active_version from programs where program_id = $1 for update',
      [programId],
    );
    const v = rows[0] && (await findVersion(tx, programId, version, true));
    if (!rows[0] || !v) throw notFound(`Version ${version} of the program ${programId}`);
    if (v.status === 'draft') {
      throw new AppError('conflict', `Version ${version} of ${programId} is a draft; approve it first.`);
    }
    if (v.status !== 'approved') {
      throw new AppError(
        'conflict',
        `Version ${version} of ${programId} is ${v.status}; only an approved version can be activated.`,
      );
    }
    const active = rows[0].active_version;
    if (active !== null && active > version) {
      throw new AppError(
        'conflict',
        `Version ${version} of ${programId} is older than version ${active}, which is in force.`,
      );
    }
    return versionSummary(await markActive(tx, v));
  });
}
