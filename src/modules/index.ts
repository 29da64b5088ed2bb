// Loading every module registers its entity types and jobs.
import './platform/index.ts';
import './identity/index.ts';
import './accounts/index.ts';
import './catalog/index.ts';
import './contracts/index.ts';
import './channel/index.ts';
import './imports/index.ts';
import './claims/index.ts';
import './correspondence/index.ts';
import './receivables/index.ts';
import './collections/index.ts';
import './settlement/index.ts';
import './journal/index.ts';
import './approvals/index.ts';
import './adjustments/index.ts';
import './cash/index.ts';
import './disputes/index.ts';
