// Channel data: sell-in, sell-out, inventory reports, positions and the account monitoring log.
import { pruneChanges } from '../../db/kept-answers.ts';
import { registerLoadListener } from '../imports/index.ts';
import { defineJob } from '../platform/index.ts';
import { refreshInventoryMonitor } from './inventory-monitor.ts';

export {
  type InventoryReport,
  inventoryGridColumns,
  listInventoryReports,
  listSellIn,
  listSellOut,
  type Page,
  type SellInLine,
  type SellOutLine,
  sellInGridColumns,
  sellOutGridColumns,
} from './channel-data.ts';
export {
  channelDataQuery,
  differencesQuery,
  exportQuery,
  inventoryQuery,
  positionsPageQuery,
  positionsQuery,
  seriesQuery,
} from './channel-schemas.ts';
export {
  allInventoryDifferences,
  type InventoryDifference,
  listInventoryDifferences,
  type RefreshCounts,
  refreshInventoryMonitor,
} from './inventory-monitor.ts';
export {
  getPositionSeries,
  listPositions,
  listPositionsJson,
  type PositionPoint,
  type PositionSummary,
  positionGridColumns,
  positionsInGridOrder,
  requireVisibleAccount,
} from './positions.ts';
export { exportPositionsXlsx } from './positions-export.ts';

export const refreshInventoryMonitorJob = defineJob<{ account_ids?: string[] }>({
  name: 'channel.refresh-inventory-monitor',
  // Daily, after the night's feeds: imports refresh the accounts they load, this catches everything else
  // (claims credited since, data corrected by hand).
  schedule: '30 4 * * *',
  async handler(ctx, data) {
    const counts = await refreshInventoryMonitor(ctx.db, data.account_ids);
    // The change rows kept answers are checked against (src/db/kept-answers.ts): a day of them is kept.
    await pruneChanges(ctx.db);
    ctx.log.info(counts, 'inventory monitor refreshed');
    return counts;
  },
});

/** Very large loads leave the monitor to its scheduled job rather than holding the caller for a full recomputation. */
export const monitorRefreshLimit = 1_000_000;

// Channel loads change inventory positions: the account monitoring log is brought up to date for them.
registerLoadListener({
  kinds: ['sell_in', 'sell_out', 'inventory'],
  run: (db, loaded) =>
    loaded.rowsTotal > monitorRefreshLimit
      ? Promise.resolve()
      : refreshInventoryMonitor(db, loaded.accounts ? [...loaded.accounts] : undefined),
});
