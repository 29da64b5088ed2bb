import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireRole } from '../identity/index.ts';
import { programWriters } from './contract-roles.ts';
import { validatePrograms } from './program-validation.ts';
import { type SaveOutcome, saveProgram } from './program-versions.ts';
import { getProgram, type ProgramDetail } from './programs.ts';

/**
 * One program as programs.json writes it, sent through the API: checked like a file's item and saved as a
 * draft (a new version, the open draft replaced, or nothing when the terms are those of the latest version).
 */
export async function createProgramVersion(
  db: Db,
  json: unknown,
): Promise<{ outcome: SaveOutcome; program: ProgramDetail }> {
  requireRole(db.actor, programWriters);
  return db.tx(async (tx) => {
    const { programs, issues } = await validatePrograms(tx, [json]);
    if (issues.length > 0) {
      const shown = issues.slice(0, 3).map((i) => (i.column ? `${i.column}: ${i.reason}` : i.reason));
      const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
      throw new AppError('validation_failed', `The program is not valid: ${shown.join('; ')}${more}.`, {
        issues: issues.map((i) => ({ field: i.column ?? '(body)', message: i.reason })),
      });
    }
    const terms = programs[0]!;
    const { outcome, version } = await saveProgram(tx, terms, { activate: false });
    return { outcome, program: await getProgram(tx, terms.program_id, version) };
  });
}
