import { requireRole } from '../identity/index.ts';
import type { ItemLoader, LoadCounts } from '../imports/types.ts';
import { programActivators, programWriters } from './contract-roles.ts';
import { validatePrograms } from './program-validation.ts';
import { saveProgram } from './program-versions.ts';

/**
 * programs.json, inside the import engine's transaction: every item is checked first and nothing is written
 * unless the whole file is clean. Each program becomes a draft version, or with `activate` (the operator's
 * bulk load) goes straight into force.
 */
export const loadPrograms: ItemLoader = async (tx, items, opts) => {
  requireRole(tx.actor, programWriters);
  if (opts.activate) requireRole(tx.actor, programActivators);
  const counts: LoadCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const { programs, issues } = await validatePrograms(tx, items);
  if (issues.length > 0) return { counts, issues };
  for (const terms of programs) {
    const { outcome } = await saveProgram(tx, terms!, { activate: opts.activate });
    if (outcome === 'created') counts.inserted++;
    else if (outcome === 'unchanged') counts.unchanged++;
    else counts.updated++;
  }
  return { counts, issues };
};
