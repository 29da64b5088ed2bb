// Loading every module registers its entity types and jobs.
import './platform/index.ts';
import './identity/index.ts';
import './accounts/index.ts';
