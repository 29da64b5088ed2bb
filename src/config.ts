import path from 'node:path';

/** Everything Clearhouse reads from its environment, read in one place. */
export interface Config {
  /** Where Clearhouse keeps its embedded database, documents and outbox. */
  home: string;
  /** An external PostgreSQL server; absent means the embedded one under `home`. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  logLevel: string;
  /** Run the job worker inside the web server process (`npm start`). */
  runWorker: boolean;
  maxUploadBytes: number;
  /** Secure cookies need HTTPS; on by default in production. */
  secureCookies: boolean;
  adminEmail: string;
  sessionHours: number;
  dev: boolean;
  /** Outgoing mail server (`smtp://user:pass@host:587`); absent keeps messages in the outbox under `home`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where users reach the web app, for links in e-mails (the portal's upload page). */
  publicUrl: string;
  /** The currency measures, the Top 40 and dashboards report in (`CLEARHOUSE_REPORTING_CURRENCY`). */
  reportingCurrency: string;
}

/**
 * CLEARHOUSE_REPORTING_CURRENCY (default USD): the currency of the measures, the Top 40 and the dashboards;
 * amounts in other currencies are converted with `fx_rates.csv`. Anything but a three-letter code stops the
 * process with the reason.
 */
export function reportingCurrency(env: NodeJS.ProcessEnv = process.env): string {
  const value = (env.CLEARHOUSE_REPORTING_CURRENCY || 'USD').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(value))
    throw new Error(
      `CLEARHOUSE_REPORTING_CURRENCY=${env.CLEARHOUSE_REPORTING_CURRENCY} is not a currency code (three letters, e.g. USD)`,
    );
  return value;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  return {
    home: path.resolve(env.CLEARHOUSE_HOME || '.clearhouse'),
    databaseUrl: env.DATABASE_URL || undefined,
    port: Number(env.PORT || 3000),
    host: env.HOST || '0.0.0.0',
    logLevel: env.LOG_LEVEL || 'info',
    runWorker: flag(env.CLEARHOUSE_WORKER, true),
    maxUploadBytes: Number(env.CLEARHOUSE_MAX_UPLOAD_MB || 25) * 1024 * 1024,
    secureCookies: flag(env.CLEARHOUSE_SECURE_COOKIES, production),
    adminEmail: env.CLEARHOUSE_ADMIN_EMAIL || 'admin@clearhouse.local',
    sessionHours: Number(env.CLEARHOUSE_SESSION_HOURS || 12),
    dev: flag(env.CLEARHOUSE_DEV, false),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.CLEARHOUSE_MAIL_FROM || 'Clearhouse <statements@clearhouse.local>',
    publicUrl: (env.CLEARHOUSE_PUBLIC_URL || `http://localhost:${Number(env.PORT || 3000)}`).replace(
      /\/+$/,
      '',
    ),
    reportingCurrency: reportingCurrency(env),
  };
}
