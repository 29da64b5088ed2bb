import { adjustmentRequesters } from './features/adjustments/adjustments.ts';
import { cashDesk } from './features/cash/cash.ts';
import { collectionsReaders, taskReaders } from './features/collections/collections.ts';
import { creditReaders } from './features/credit/credit.ts';
import { disputeReaders } from './features/disputes/disputes.ts';
import { ediReaders } from './features/edi/edi.ts';
import type { Role } from './features/identity/user.ts';
import { receivablesReaders } from './features/receivables/receivables.ts';
import { reportReaders } from './features/settlement/settlement.ts';
import { certificateReaders } from './features/tax/tax.ts';

/**
 * What a page asks the server for first, by its route, started by index.html before the app's code has loaded
 * (vite.config.ts writes this table into its head): the answers travel while the browser fetches and runs the
 * code, instead of after. `web/src/ui/api.ts` takes each answer up once, when the page asks for the same path.
 * In a path, `{today}` is the browser's date, `{year}` its year, `{lastMonthEnd}` the last complete month's end
 * (the dashboards' month), and `{name}` the address's `:name`.
 *
 * A path is asked for on an address without a query string. A plain path is one every role that opens the page
 * asks for alike, whatever the data; a group's paths only for a user with a role in each of its `roles` lists
 * (the card the question is for is shown to them), once the session's answer has said who is signed in.
 * Each path here must be exactly one the page's own queries ask for, or it is a request for nothing.
 * test/e2e/early-requests.test.ts opens every page below, as several roles, and fails on a path not taken up.
 *
 * The role lists are imported with their files' extensions, and their files import `Role` with its extension:
 * vite.config.ts and the tests load them in Node, and the server's tsconfig checks them.
 */
export type EarlyRequest =
  | string
  | { readonly roles: readonly (readonly Role[])[]; readonly paths: readonly string[] };

const accrualTotals: EarlyRequest = {
  roles: [reportReaders],
  paths: ['/api/settlement/accruals?as_of={lastMonthEnd}&rows=false'],
};

export const earlyRequests: Readonly<Record<string, readonly EarlyRequest[]>> = {
  '/claims': [
    '/api/claim-queue?limit=100&offset=0',
    '/api/accounts',
    '/api/programs',
    '/api/grid-views/claims-grid',
  ],
  '/claim-log': [
    '/api/claim-log?limit=1000&offset=0',
    '/api/accounts',
    '/api/programs',
    '/api/grid-views/claim-log-grid',
    '/api/claims/sla-alerts?limit=1000',
  ],
  '/scorecard': ['/api/accounts', '/api/scorecard', '/api/recommendations'],
  '/payment-batches': ['/api/settlement/batches', '/api/grid-views/batches-grid'],
  '/payment-proposal': ['/api/settlement/proposals'],
  '/programs': ['/api/programs', '/api/grid-views/programs-grid'],
  '/deals': ['/api/deals', '/api/grid-views/deals-grid'],
  '/positions': [
    '/api/positions?limit=100&offset=0',
    '/api/inventory-differences?status=open&limit=1000',
    '/api/accounts',
    '/api/grid-views/positions-grid',
    '/api/grid-views/differences-grid',
  ],
  '/channel-data': [
    '/api/accounts',
    '/api/sell-in?limit=100&offset=0',
    '/api/grid-views/channel-data-sell-in',
  ],
  '/accounts': ['/api/accounts', '/api/grid-views/accounts-grid'],
  '/aging': [
    '/api/ar/aging?as_of={today}&basis=due_date&buckets=30%2C60%2C90%2C120&by=account',
    '/api/accounts',
  ],
  '/correspondence': ['/api/emails?limit=500', '/api/grid-views/outbox-grid'],
  '/adjustments': [
    '/api/adjustment-reasons',
    '/api/adjustments?status=pending',
    '/api/grid-views/adjustments-grid',
  ],
  '/deductions': ['/api/deductions/queues', '/api/accounts', '/api/grid-views/deductions-grid'],
  '/deductions-dashboard': ['/api/deductions/dashboard'],
  // The dashboards: the month's measures and trend, and the spend against accrual for those who read reports.
  '/dashboards/analyst': ['/api/kpis?by=partner', '/api/kpis/trend?months=12', accrualTotals],
  '/dashboards/manager': ['/api/kpis?by=country', '/api/kpis/trend?months=12', accrualTotals],
  '/accruals': ['/api/settlement/accruals?as_of={today}', '/api/grid-views/accruals-grid'],
  '/credits-reconciliation': [
    '/api/settlement/reconciliation?from={year}-01-01&to={today}',
    '/api/grid-views/reconciliation-grid',
  ],
  '/imports': ['/api/imports?limit=100&offset=0', '/api/import-templates', '/api/grid-views/import-history'],
  '/products': ['/api/products', '/api/grid-views/products-grid'],
  '/end-customers': ['/api/end-customers', '/api/grid-views/end-customers-grid'],
  '/edi': ['/api/edi/interchanges?limit=500', '/api/grid-views/edi-interchanges-grid'],
  '/worklist': ['/api/collections/worklist', '/api/grid-views/worklist-grid'],
  '/credit': ['/api/credit/report?as_of={today}', '/api/grid-views/credit-grid'],
  '/tasks': ['/api/tasks?for=me&status=open', '/api/grid-views/tasks-grid'],
  '/disputes': ['/api/dispute-teams', '/api/disputes?state=active', '/api/grid-views/disputes-grid'],
  '/bank-statements': ['/api/cash/bank-files?limit=500', '/api/grid-views/bank-files-grid'],
  '/cash-runs': ['/api/cash/runs?limit=200', '/api/grid-views/cash-runs-grid'],
  '/approvals': ['/api/approvals/inbox', '/api/grid-views/approvals-grid'],
  // Account 360: the account, and for the desk each card's question, for the roles that see the card (the
  // route's prefetch asks the same, web/src/routes/account.tsx).
  '/accounts/:accountId': [
    '/api/accounts/{accountId}',
    '/api/accounts',
    {
      roles: [collectionsReaders],
      paths: [
        '/api/accounts/{accountId}/overview',
        '/api/accounts/{accountId}/timeline',
        '/api/accounts/{accountId}/promises',
        '/api/deductions?account_id={accountId}&status=open%2Cdenied&limit=10',
        '/api/documents?entity_type=account&entity_id={accountId}',
        '/api/audit/account/{accountId}',
      ],
    },
    {
      roles: [collectionsReaders, receivablesReaders],
      paths: [
        '/api/ar/items?account_id={accountId}&as_of={today}&basis=due_date&buckets=30%2C60%2C90%2C120&limit=10000',
      ],
    },
    { roles: [collectionsReaders, ediReaders], paths: ['/api/accounts/{accountId}/edi'] },
    { roles: [collectionsReaders, cashDesk], paths: ['/api/cash/accounts/{accountId}/clearing'] },
    { roles: [collectionsReaders, creditReaders], paths: ['/api/credit/accounts/{accountId}'] },
    {
      roles: [collectionsReaders, disputeReaders],
      paths: ['/api/disputes?account_id={accountId}&state=all'],
    },
    {
      roles: [collectionsReaders, disputeReaders, receivablesReaders],
      paths: ['/api/disputes?account_id={accountId}&state=active'],
    },
    {
      roles: [collectionsReaders, certificateReaders],
      paths: [
        '/api/tax-certificates?account_id={accountId}',
        '/api/tax-exceptions?account_id={accountId}&limit=1000',
      ],
    },
    { roles: [collectionsReaders, adjustmentRequesters], paths: ['/api/adjustments?account_id={accountId}'] },
    { roles: [collectionsReaders, taskReaders], paths: ['/api/tasks?account_id={accountId}&status=open'] },
  ],
};
