// Correspondence (the outbox and the e-mails sent, a message as sent, retrying a failed one) and statements
// of account (PDF and XLSX). Row security scopes every answer to the caller's organisation: another
// organisation's e-mail or account does not exist (404).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deliverEmail,
  emailRaw,
  emailsQuery,
  getEmail,
  listEmails,
  requestDelivery,
  retryEmail,
} from '../../modules/correspondence/index.ts';
import type { DocumentStore } from '../../modules/platform/index.ts';
import {
  accountStatement,
  statementFileName,
  statementPdf,
  statementXlsx,
} from '../../modules/receivables/index.ts';
import { businessDate } from '../../modules/receivables/schemas.ts';

const emailParams = z.object({ email_id: z.string().min(1).max(100) });

const statementQuery = z.object({
  account_id: z.string().trim().min(1).max(200),
  as_of: businessDate.optional(),
  from: businessDate.optional(),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/)
    .optional(),
});

export const correspondenceRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app, opts) => {
  app.get(
    '/emails',
    {
      schema: {
        tags: ['correspondence'],
        summary: 'E-mails to accounts, newest first: queued, sent (SMTP or outbox) and failed',
        querystring: emailsQuery,
      },
    },
    async (req) => listEmails(req.userDb(), req.query),
  );

  app.get(
    '/emails/:email_id',
    {
      schema: {
        tags: ['correspondence'],
        summary: 'One e-mail with its body, attachments and delivery state',
        params: emailParams,
      },
    },
    async (req) => ({ email: await getEmail(req.userDb(), req.params.email_id) }),
  );

  app.get(
    '/emails/:email_id/raw',
    {
      schema: {
        tags: ['correspondence'],
        summary: 'The message as sent (.eml)',
        params: emailParams,
      },
    },
    async (req, reply) => {
      const { fileName, content } = await emailRaw(req.userDb(), req.params.email_id);
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );

  app.post(
    '/emails/:email_id/retry',
    {
      schema: {
        tags: ['correspondence'],
        summary: 'Send a failed e-mail again now',
        params: emailParams,
      },
    },
    async (req) => {
      const db = req.userDb();
      const email = await retryEmail(db, req.params.email_id);
      // Without a job queue in this process, send it here.
      if (!(await requestDelivery([email.email_id])))
        await deliverEmail(db, email.email_id, { store: opts.store });
      return { email: await getEmail(db, email.email_id) };
    },
  );

  app.get(
    '/ar/statement.pdf',
    {
      schema: {
        tags: ['receivables'],
        summary: 'The statement of account of one account as a PDF (one section per currency)',
        querystring: statementQuery,
      },
    },
    async (req, reply) => {
      const s = await accountStatement(req.userDb(), req.query);
      const content = await statementPdf(s);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${statementFileName(s, 'pdf')}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );

  app.get(
    '/ar/statement.xlsx',
    {
      schema: {
        tags: ['receivables'],
        summary: 'The statement of account as an XLSX workbook (Activity, Open items, Aging)',
        querystring: statementQuery,
      },
    },
    async (req, reply) => {
      const s = await accountStatement(req.userDb(), req.query);
      const content = await statementXlsx(s);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${statementFileName(s, 'xlsx')}"`)
        .header('cache-control', 'no-store')
        .send(content);
    },
  );
};
