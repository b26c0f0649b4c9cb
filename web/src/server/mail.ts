import type { Db } from '@avatar-adam/db';
import { enqueueSendEmail, type TSendEmailJob } from '@avatar-adam/db/job-queue';

/** One transactional email. `link` is the action it carries (invitation, password reset). */
export type TMailMessage = {
  to: string;
  subject: string;
  text: string;
  link: string;
  kind: TSendEmailJob['kind'];
};

/** What the web app needs from email; procedures get it through the tRPC context. */
export type Mailer = {
  send(message: TMailMessage): Promise<void>;
};

/**
 * Emails leave through the durable job queue (`send-email`, worked by the job worker, which
 * holds the SMTP or file transport): a request never waits on an SMTP server, and a message is
 * retried with backoff while the server is away instead of being lost. `send` resolves once the
 * job is stored; it fails only when the database does.
 */
export function createMailer(config: { db: Db }): Mailer {
  return {
    async send(message) {
      await enqueueSendEmail({ db: config.db, message });
    },
  };
}
