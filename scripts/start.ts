/**
 * `npm start`: builds the web app when a source changed since the last build, then runs the server
 * (src/main.ts) in this same process. One process, so that the signal a service manager or npm sends
 * (SIGTERM, SIGINT) reaches the server, which stops its requests, jobs and the embedded PostgreSQL.
 */
import { buildWeb } from './build-web.ts';

buildWeb({ ifStale: true });
await import('../src/main.ts');
