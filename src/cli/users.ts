import { type Command, Option } from 'commander';
import { parseLimitFlag, setApprovalLimits } from '../modules/approvals/index.ts';
import { createUser, listUsers, roles } from '../modules/identity/index.ts';
import { withDatabase } from './context.ts';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('People who sign in to Clearhouse');

  users
    .command('add')
    .description('Add a user; prints its password once (generated unless --password is given)')
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .option('--name <name>', 'display name (default: the e-mail)')
    .addOption(new Option('--role <role...>', 'one or more roles').choices([...roles]).makeOptionMandatory())
    .option('--account <account_id>', "a partner user's organisation (account id)")
    .option('--password <password>', 'initial password (at least 12 characters)')
    .option(
      '--approval-limit <currency:amount>',
      'approval limit in a currency, e.g. USD:5000 (repeat for each currency)',
      (value: string, list: string[] = []) => [...list, value],
    )
    .action(
      async (
        opts: {
          email: string;
          name?: string;
          role: string[];
          account?: string;
          password?: string;
          approvalLimit?: string[];
        },
        cmd: Command,
      ) => {
        const limits = (opts.approvalLimit ?? []).map(parseLimitFlag);
        await withDatabase(cmd, async ({ db, out }) => {
          const { user, password } = await createUser(db, {
            email: opts.email,
            name: opts.name ?? opts.email,
            roles: opts.role as (typeof roles)[number][],
            account_id: opts.account ?? null,
            password: opts.password,
          });
          if (limits.length > 0) await setApprovalLimits(db, user.user_id, { limits });
          out.result({ user, password: opts.password ? undefined : password }, () =>
            [
              `Added ${user.email} (${user.roles.join(', ')}${user.account_id ? ` of ${user.account_id}` : ''}).`,
              ...limits.map((l) => `Approval limit: ${l.amount} ${l.currency}.`),
              ...(opts.password ? [] : [`Password (shown once): ${password}`]),
            ].join('\n'),
          );
        });
      },
    );

  users
    .command('list')
    .description('List users')
    .action(async (_opts, cmd: Command) => {
      await withDatabase(cmd, async ({ db, out }) => {
        const items = await listUsers(db);
        out.result({ items }, () =>
          items.length === 0
            ? 'No users yet.'
            : out.table(
                items.map((u) => ({
                  email: u.email,
                  name: u.name,
                  roles: u.roles.join(','),
                  account: u.account_id ?? '',
                  active: u.active ? 'yes' : 'no',
                  last_sign_in: u.last_sign_in_at?.toISOString().slice(0, 16).replace('T', ' ') ?? '',
                })),
                ['email', 'name', 'roles', 'account', 'active', 'last_sign_in'],
              ),
        );
      });
    });
}
