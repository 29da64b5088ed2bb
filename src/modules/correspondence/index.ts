// Correspondence: e-mails to accounts, sent through SMTP (SMTP_URL) or kept in the outbox, with their
// delivery state; the mail.send job delivers and retries them.
export {
  deliverEmail,
  deliverEmails,
  type EmailAttempt,
  type EmailRow,
  type EmailsQuery,
  emailRaw,
  emailsQuery,
  getEmail,
  getEmailWithHistory,
  listEmails,
  mailReaders,
  mailSenders,
  maxAttempts,
  type QueueEmailInput,
  queueEmail,
  queueEmails,
  type ResendInput,
  recordBounce,
  resendEmail,
  resendInput,
  retryEmail,
  type SendOptions,
  sendQueued,
} from './emails.ts';
export { configuredStore, mailSendJob, requestDelivery } from './jobs.ts';
export {
  composeMail,
  createMailer,
  keepEml,
  type Mailer,
  type MailTransport,
  type OutgoingMail,
} from './mailer.ts';
