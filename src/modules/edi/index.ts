import { registerImportHooks } from '../imports/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { loadX12File } from './load.ts';

// X12 EDI: the syntax layer (x12/), the implementation guides of the sets we read and write (guides/), inbound
// interchanges loaded through the import engine with their 997s, outbound 849s, trading partners and the
// interchange desk.
export { read844, write844 } from './guides/claims-844.ts';
export { read812 } from './guides/deductions-812.ts';
export { read852, write852 } from './guides/inventory-852.ts';
export { read867, write867 } from './guides/sell-out-867.ts';
export { nextControlNumber, ourIdentity } from './identity.ts';
export { inboundRoutes, loadX12File, reprocess, reprocessInterchange, type X12LoadResult } from './load.ts';
export {
  ediAdminRoles,
  errorInWords,
  getInterchange,
  type InterchangeDetail,
  type InterchangeSet,
  type InterchangeSummary,
  listInterchanges,
  listTradingPartners,
  type SetError,
  saveTradingPartner,
  type TradingPartner,
  type TradingPartnerInput,
  tradingPartnerOf,
} from './queries.ts';
export { respond812 } from './respond-812.ts';
export { ediRoles, type Responded, respond849, respondJob, writeOutbound } from './respond-849.ts';
export { sampleInterchanges } from './sample.ts';

registerEntityType('edi_trading_partner', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from edi_trading_partners where account_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
registerEntityType('edi_interchange', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from edi_interchanges where interchange_id::text = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

// `clearhouse import` and the Imports page recognise X12 by its ISA (imports/edi-templates.ts); the sets load here.
registerImportHooks('x12', { fileLoader: loadX12File });
