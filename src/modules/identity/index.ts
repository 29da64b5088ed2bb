import { defineJob, registerEntityType } from '../platform/index.ts';
import { purgeExpiredSessions } from './sessions.ts';

export { requireInternal, requireRole } from './authorize.ts';
export { ensureFirstAdministrator } from './first-administrator.ts';
export { createUser, getUser, listUsers, resetPassword, updateUser } from './manage-users.ts';
export { minPasswordLength } from './passwords.ts';
export {
  deleteGridView,
  type GridView,
  type GridViewState,
  getPreferences,
  gridViewInput,
  listGridViews,
  type Preferences,
  preferencesInput,
  saveGridView,
  setPreferences,
} from './preferences.ts';
export { hasAnyRole, internalRoles, isPartner, isRole, type Role, roles } from './roles.ts';
export {
  type Authenticated,
  authenticateSession,
  authenticateToken,
  changeOwnPassword,
  createApiToken,
  listApiTokens,
  purgeExpiredSessions,
  revokeApiToken,
  signIn,
  signInLimits,
  signOut,
} from './sessions.ts';
export type { UserRow } from './user-queries.ts';
export { changePasswordInput, createUserInput, updateUserInput, userOutput } from './user-schemas.ts';

registerEntityType('user', async (db, id) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await db.query<{ account_id: string | null }>(
    'select account_id from users where user_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id ?? '' } : undefined;
});

defineJob({
  name: 'identity.purge-expired-sessions',
  schedule: '17 * * * *',
  async handler(ctx) {
    const purged = await purgeExpiredSessions(ctx.db);
    ctx.log.info(purged, 'purged expired sessions and old sign-in attempts');
  },
});
