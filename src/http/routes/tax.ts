// Tax-exempt certificates (desk and portal) and the tax exceptions of invoices. Partners read and upload
// their own certificates; the tax team validates and rejects; the exceptions are the desk's.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { DocumentStore } from '../../modules/platform/index.ts';
import {
  type CertificateDetail,
  type CertificateFile,
  certificatesQuery,
  getCertificate,
  listCertificates,
  listTaxExceptions,
  rejectCertificate,
  rejectCertificateInput,
  requestCertificate,
  requestCertificateInput,
  taxExceptionsCsv,
  taxExceptionsQuery,
  uploadNewCertificate,
  uploadRequestedCertificate,
  validateCertificate,
  validateCertificateInput,
} from '../../modules/tax/index.ts';

const tags = ['tax'];
const idParams = z.object({ certificate_id: z.string().trim().min(1).max(100) });
const uploadFields =
  'certificate_number, effective_date (YYYY-MM-DD), expiry_date (empty: none), exempt_reason, then file';

/** Reads the form fields sent before the file, then hands the file to `use` (one file, named `file`). */
async function withUpload(
  req: FastifyRequest,
  use: (fields: Record<string, string>, file: CertificateFile) => Promise<CertificateDetail>,
): Promise<CertificateDetail> {
  if (!req.isMultipart())
    throw new AppError('unsupported_media_type', 'Send the certificate as multipart/form-data.');
  const fields: Record<string, string> = {};
  let result: CertificateDetail | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file' || result) {
      part.file.resume();
      continue;
    }
    try {
      result = await use(fields, {
        fileName: part.filename || 'certificate',
        content: part.file,
        truncated: () => part.file.truncated,
      });
    } catch (err) {
      part.file.resume();
      throw err;
    }
  }
  if (!result)
    throw new AppError('validation_failed', 'No file was sent: the certificate itself is needed.', {
      issues: [{ field: 'file', message: 'required' }],
    });
  return result;
}

export const taxRoutes: FastifyPluginAsyncZod<{ store: DocumentStore }> = async (app, opts) => {
  app.get(
    '/tax-certificates',
    {
      schema: {
        tags,
        summary:
          'Tax-exempt certificates (a partner gets its own); status=queue is the tax team’s queue, oldest first',
        description:
          'status: requested, received, validated (not expired), rejected, expired, queue or all; ' +
          'account_id, jurisdiction, expiring_within_days (validated ones expiring that soon). With counts.',
        querystring: certificatesQuery,
      },
    },
    async (req) => listCertificates(req.userDb(), req.query),
  );

  app.post(
    '/tax-certificates',
    {
      schema: {
        tags,
        summary:
          'Upload a certificate for an account and jurisdiction (multipart; answers an open request there); received',
        description: `Fields: account_id (a partner may leave it out when it has one account), jurisdiction, ${uploadFields}.`,
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await withUpload(req, (fields, file) =>
            uploadNewCertificate(req.userDb(), opts.store, fields, file),
          ),
        ),
  );

  app.post(
    '/tax-certificates/requests',
    {
      schema: {
        tags,
        summary:
          'Ask a customer for its certificate for a jurisdiction (201): e-mails the billing contact the portal link',
        description: '409 when one is requested for that account and jurisdiction already.',
        body: requestCertificateInput,
      },
    },
    async (req, reply) => reply.status(201).send(await requestCertificate(req.userDb(), req.body)),
  );

  app.get(
    '/tax-certificates/:certificate_id',
    {
      schema: {
        tags,
        summary: 'One certificate: its dates, status, file, reminders sent and what you may do',
        params: idParams,
      },
    },
    async (req) => getCertificate(req.userDb(), req.params.certificate_id),
  );

  app.post(
    '/tax-certificates/:certificate_id/upload',
    {
      schema: {
        tags,
        summary: 'Upload the certificate asked for, or a new one for a rejected certificate (multipart)',
        description: `Fields: ${uploadFields}. 409 when the certificate is received or validated already.`,
        params: idParams,
        consumes: ['multipart/form-data'],
      },
    },
    async (req) =>
      withUpload(req, (fields, file) =>
        uploadRequestedCertificate(
          req.userDb(),
          opts.store,
          req.params.certificate_id,
          {
            certificate_number: fields.certificate_number ?? '',
            exempt_reason: fields.exempt_reason,
            effective_date: fields.effective_date ?? '',
            expiry_date: fields.expiry_date,
          },
          file,
        ),
      ),
  );

  app.post(
    '/tax-certificates/:certificate_id/validate',
    {
      schema: {
        tags,
        summary: 'The tax team validates a received certificate (dates may be corrected); it covers invoices',
        description: 'Not by whoever uploaded it (403). 409 when it is not received.',
        params: idParams,
        body: validateCertificateInput,
      },
    },
    async (req) => validateCertificate(req.userDb(), req.params.certificate_id, req.body),
  );

  app.post(
    '/tax-certificates/:certificate_id/reject',
    {
      schema: {
        tags,
        summary:
          'The tax team rejects a received certificate with the reason, e-mailed to the billing contact',
        params: idParams,
        body: rejectCertificateInput,
      },
    },
    async (req) => rejectCertificate(req.userDb(), req.params.certificate_id, req.body),
  );

  app.get(
    '/tax-exceptions',
    {
      schema: {
        tags,
        summary:
          'Invoices that name a tax jurisdiction and are flagged: TAX_CHARGED_TO_EXEMPT, EXEMPTION_WITHOUT_CERTIFICATE',
        querystring: taxExceptionsQuery,
      },
    },
    async (req) => listTaxExceptions(req.userDb(), req.query),
  );

  app.get(
    '/tax-exceptions.csv',
    { schema: { tags, summary: 'tax_exceptions.csv: every flagged invoice with the covering certificate' } },
    async (req, reply) => {
      const { csv } = await taxExceptionsCsv(req.userDb());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tax_exceptions-${today()}.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
};
