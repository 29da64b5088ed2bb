import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface SmtpPeer {
  /** Every message delivered so far, in order. */
  received: ReceivedMail[];
  /** smtp://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/**
 * A real SMTP peer on a free loopback port that keeps what it receives, with SMTP_URL pointing at it until
 * it is closed (then SMTP_URL is what it was before).
 */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const before = process.env.SMTP_URL;
  process.env.SMTP_URL = url;
  return {
    received,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (before === undefined) delete process.env.SMTP_URL;
        else process.env.SMTP_URL = before;
        server.close(() => resolve());
      }),
  };
}
