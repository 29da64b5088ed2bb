import { registerEntityType } from '../platform/index.ts';
import { findAccount } from './accounts.ts';

export { accountNames } from './account-names.ts';
export {
  amountSchema,
  countrySchema,
  createAccountInput,
  currencySchema,
  isRoutingNumber,
  updateAccountInput,
} from './account-schemas.ts';
export {
  type AccountRow,
  assignCollector,
  createAccount,
  findAccount,
  getAccount,
  listAccounts,
  updateAccount,
} from './accounts.ts';

registerEntityType('account', async (db, id) => {
  const account = await findAccount(db, id);
  return account ? { accountId: account.account_id } : undefined;
});
