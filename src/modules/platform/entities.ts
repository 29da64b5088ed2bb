import type { Db } from '../../db/db.ts';

/**
 * What an entity id refers to, across modules. Documents and the audit trail attach to entities by
 * (type, id); each module registers how to find one of its entities and which account owns it. Lookups
 * run under the actor's row security, so an entity the actor may not see does not exist for it.
 */
export type EntityResolver = (
  db: Db,
  entityId: string,
  /** The owning account, for entities whose id is unique only within their account (a partner's claim id). */
  accountId?: string | null,
) => Promise<{ accountId: string } | undefined>;

const resolvers = new Map<string, EntityResolver>();

export function registerEntityType(type: string, resolver: EntityResolver): void {
  resolvers.set(type, resolver);
}

export function entityTypes(): string[] {
  return [...resolvers.keys()].sort();
}

/** The owning account of a visible entity ('' for the company's own), or undefined when it is not visible. */
export async function resolveEntity(
  db: Db,
  type: string,
  id: string,
  accountId?: string | null,
): Promise<{ accountId: string } | undefined> {
  const resolver = resolvers.get(type);
  if (!resolver) return undefined;
  const entity = await resolver(db, id, accountId);
  // An account named that does not own the entity: the entity does not exist for the caller.
  if (entity && accountId && entity.accountId !== accountId) return undefined;
  return entity;
}
