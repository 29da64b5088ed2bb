/**
 * The mailer: composes a message once (nodemailer's stream transport with `buffer: true`), keeps the exact
 * bytes as an .eml file, and hands the same bytes to the mail server (`SMTP_URL`) — or, without a mail
 * server, keeps it in the outbox (CLEARHOUSE_HOME/outbox) for someone to look at and send by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export type MailTransport = 'smtp' | 'outbox';

export interface OutgoingAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  from: string;
  to: readonly string[];
  cc: readonly string[];
  subject: string;
  text: string;
  /** `<id@domain>` */
  messageId: string;
  attachments: readonly OutgoingAttachment[];
}

export interface SentMail {
  messageId: string;
  /** The message as sent (RFC 822). */
  raw: Buffer;
  /** The server's last reply (SMTP), when there is one. */
  response: string | undefined;
}

export interface Mailer {
  transport: MailTransport;
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

/** The composed message, byte for byte as it will be sent. */
export async function composeMail(
  mail: OutgoingMail,
): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await composer.sendMail({
    from: mail.from,
    to: [...mail.to],
    cc: [...mail.cc],
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    attachments: mail.attachments.map((a) => ({ ...a })),
  });
  const envelope = info.envelope as { from: string | false; to: string[] };
  return {
    raw: info.message as Buffer,
    envelope: { from: envelope.from || '', to: envelope.to },
  };
}

/** SMTP through `smtpUrl` (smtp:// or smtps://, credentials in the URL), or the outbox when absent. */
export function createMailer(opts: { smtpUrl?: string | undefined }): Mailer {
  if (!opts.smtpUrl) {
    return {
      transport: 'outbox',
      async send(mail) {
        const { raw } = await composeMail(mail);
        return { messageId: mail.messageId, raw, response: undefined };
      },
      close() {},
    };
  }
  const smtp = nodemailer.createTransport(opts.smtpUrl);
  return {
    transport: 'smtp',
    async send(mail) {
      const { raw, envelope } = await composeMail(mail);
      const info = await smtp.sendMail({ envelope, raw });
      return { messageId: mail.messageId, raw, response: info.response };
    },
    close() {
      smtp.close();
    },
  };
}

/** Keeps the message as `outbox/<id>.eml` (outbox) or `sent/<id>.eml` (smtp) under `home`; returns the relative path. */
export function keepEml(home: string, transport: MailTransport, emailId: string, raw: Buffer): string {
  const relative = path.join(transport === 'outbox' ? 'outbox' : 'sent', `${emailId}.eml`);
  const full = path.join(home, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, raw);
  return relative;
}

/** The domain of a From address (`Name <a@b.test>` → `b.test`), for message ids. */
export function mailDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'clearhouse.local';
}
