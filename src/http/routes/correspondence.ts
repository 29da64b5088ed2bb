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
  getEmailWithHistory,
  listEmails,
  recordBounce,
  requestDelivery,
  resendEmail,
  resendInput,
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
        summary:
          'E-mails to accounts, newest first: queued, sent (SMTP or outbox), failed (retried) and bounced, with counts by status',
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
        summary:
          'One e-mail with its body, attachments and delivery state, and its history: every attempt, retry, bounce and resend',
        params: emailParams,
      },
    },
    async (req) => getEmailWithHistory(req.userDb(), req.params.email_id),
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

  app.post(
    '/emails/:email_id/resend',
    {
      schema: {
        tags: ['correspondence'],
        summary:
          'Sends a sent, failed or bounced e-mail again as a new e-mail (same text and attachments; `to` corrects the recipients)',
        params: emailParams,
        body: resendInput.optional(),
      },
    },
    async (req, reply) => {
      const db = req.userDb();
      const copy = await resendEmail(db, req.params.email_id, req.body ?? {});
      if (!(await requestDelivery([copy.email_id])))
        await deliverEmail(db, copy.email_id, { store: opts.store });
      return reply.code(201).send({ email: await getEmail(db, copy.email_id) });
    },
  );

  // Delivery status notifications arrive as the raw message (message/rfc822, message/delivery-status,
  // multipart/report or text/plain), or as JSON { "message": "…" } from an inbound-mail webhook.
  app.addContentTypeParser(
    ['message/rfc822', 'message/delivery-status', 'multipart/report'],
    { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.post(
    '/emails/bounces',
    {
      schema: {
        tags: ['correspondence'],
        summary:
          'Records a bounce from a delivery status notification (the raw message, or JSON {message}): the e-mail it names by Message-ID becomes bounced',
      },
    },
    async (req) => {
      const body = req.body as unknown;
      const text =
        typeof body === 'string'
          ? body
          : body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
            ? (body as { message: string }).message
            : '';
      const result = await recordBounce(req.userDb(), text);
      return { ...result, email: await getEmail(req.userDb(), result.email_id) };
    },
  );

  app.get(
    '/ar/statement',
    {
      schema: {
        tags: ['receivables'],
        summary:
          'The statement of account as JSON: opening balance, the period’s activity, closing balance, open items and aging per currency',
        querystring: statementQuery,
      },
    },
    async (req) => accountStatement(req.userDb(), req.query),
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
