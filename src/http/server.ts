import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { PoolDb } from '../db/db.ts';
import { replyJson } from '../db/kept-answers.ts';
import '../modules/index.ts';
import type { DocumentStore } from '../modules/platform/index.ts';
import { installAuth } from './auth.ts';
import { installErrorHandler } from './errors.ts';
import { installInputGuard } from './input-guard.ts';
import { accountRoutes } from './routes/accounts.ts';
import { adjustmentsRoutes } from './routes/adjustments.ts';
import { cashRoutes } from './routes/cash.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { channelRoutes } from './routes/channel.ts';
import { claimsRoutes } from './routes/claims.ts';
import { claimsDocumentsRoutes } from './routes/claims-documents.ts';
import { claimsFormRoutes } from './routes/claims-form.ts';
import { claimsOverridesRoutes } from './routes/claims-overrides.ts';
import { claimsReportsRoutes } from './routes/claims-reports.ts';
import { collectionsRoutes } from './routes/collections.ts';
import { contractsRoutes } from './routes/contracts.ts';
import { correspondenceRoutes } from './routes/correspondence.ts';
import { creditRoutes } from './routes/credit.ts';
import { deductionActionsRoutes } from './routes/deduction-actions.ts';
import { deductionValidationRoutes } from './routes/deduction-validation.ts';
import { deductionsRoutes } from './routes/deductions.ts';
import { deskRoutes } from './routes/desk.ts';
import { disputesRoutes } from './routes/disputes.ts';
import { ediRoutes } from './routes/edi.ts';
import { identityRoutes } from './routes/identity.ts';
import { importsRoutes } from './routes/imports.ts';
import { messagesRoutes } from './routes/messages.ts';
import { platformRoutes } from './routes/platform.ts';
import { policiesRoutes } from './routes/policies.ts';
import { receivablesRoutes } from './routes/receivables.ts';
import { reportingRoutes } from './routes/reporting.ts';
import { reviewsRoutes } from './routes/reviews.ts';
import { settlementRoutes } from './routes/settlement.ts';
import { taxRoutes } from './routes/tax.ts';
import { installWeb } from './web.ts';

export const version: string = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
).version;

export interface ServerOptions {
  db: PoolDb;
  store: DocumentStore;
  logger: Logger | false;
  maxUploadBytes: number;
  sessionHours: number;
  secureCookies: boolean;
  /** Serve the web app (built files, or Vite with hot reload when `dev`). */
  web?: { dev: boolean } | false;
  trustProxy?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as `METHOD /path`, so tests can prove each one is covered. */
    routeList: string[];
  }
}

/** The HTTP server: stateless, so any number can run behind a load balancer against one database. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.logger || undefined) as FastifyBaseLogger | undefined,
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: 10 * 1024 * 1024,
  });
  const routes: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push(`${m} ${r.url}`);
  });
  app.decorate('routeList', routes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Kept answers (src/db/kept-answers.ts) are sent as the JSON written the first time.
  app.setReplySerializer(replyJson);
  installErrorHandler(app);
  installInputGuard(app);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Clearhouse API',
        version,
        description:
          'Rebate claims and cash collections. Authenticate with the session cookie (browser; send x-csrf-token on ' +
          'changes) or `Authorization: Bearer <API token>`. Amounts are decimal strings, dates YYYY-MM-DD.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'ch_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installAuth(app, opts.db);
  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(platformRoutes, { systemDb: opts.db, store: opts.store, version });
      await api.register(identityRoutes, {
        systemDb: opts.db,
        sessionHours: opts.sessionHours,
        secureCookies: opts.secureCookies,
      });
      await api.register(accountRoutes);
      await api.register(catalogRoutes);
      await api.register(contractsRoutes);
      await api.register(channelRoutes);
      await api.register(claimsRoutes);
      await api.register(claimsReportsRoutes);
      await api.register(claimsFormRoutes);
      await api.register(claimsDocumentsRoutes, { store: opts.store });
      await api.register(claimsOverridesRoutes);
      await api.register(policiesRoutes);
      await api.register(receivablesRoutes);
      await api.register(collectionsRoutes, { store: opts.store });
      await api.register(correspondenceRoutes, { store: opts.store });
      await api.register(importsRoutes, { store: opts.store });
      await api.register(settlementRoutes);
      await api.register(deductionValidationRoutes);
      await api.register(adjustmentsRoutes);
      await api.register(cashRoutes);
      await api.register(deductionActionsRoutes, { store: opts.store });
      await api.register(deductionsRoutes);
      await api.register(disputesRoutes);
      await api.register(messagesRoutes);
      await api.register(creditRoutes);
      await api.register(ediRoutes);
      await api.register(taxRoutes, { store: opts.store });
      await api.register(reportingRoutes);
      await api.register(reviewsRoutes, { store: opts.store });
      await api.register(deskRoutes);
    },
    { prefix: '/api' },
  );
  if (opts.web) await installWeb(app, opts.web);
  return app;
}
