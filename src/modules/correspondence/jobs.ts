import path from 'node:path';
import { loadConfig } from '../../config.ts';
import { defineJob, enqueue, fileSystemStore } from '../platform/index.ts';
import { deliverEmail, sendQueued } from './emails.ts';

/** The document store of this installation (job handlers get the database only). */
export function configuredStore() {
  return fileSystemStore(path.join(loadConfig().home, 'documents'));
}

/**
 * `mail.send`: sends one e-mail (`{ email_id }`) or everything due. Also scheduled every five minutes, which
 * picks up failed e-mails whose backoff has passed.
 */
export const mailSendJob = defineJob<{ email_id?: string }>({
  name: 'mail.send',
  schedule: '*/5 * * * *',
  retryLimit: 0,
  async handler({ db, log }, data) {
    const store = configuredStore();
    // Scheduled runs carry no data.
    if (data?.email_id) {
      const outcome = await deliverEmail(db, data.email_id, { store });
      log.info({ email_id: data.email_id, outcome }, 'mail.send');
      return { outcome };
    }
    const result = await sendQueued(db, { store });
    log.info(result, 'mail.send');
    return result;
  },
});

/** Has the job queue send these e-mails; false when this process has none (then call `sendQueued`). */
export async function requestDelivery(emailIds: readonly string[]): Promise<boolean> {
  for (const id of emailIds)
    if (!(await enqueue('mail.send', { email_id: id }, { singletonKey: id }))) return false;
  return true;
}
