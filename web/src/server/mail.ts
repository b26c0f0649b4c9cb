import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { Logger } from 'pino';

/** One transactional email. `link` is the action it carries (invitation, password reset). */
export type TMailMessage = {
  to: string;
  subject: string;
  text: string;
  link: string;
};

/** What the web app needs from email; procedures get it through the tRPC context. */
export type Mailer = {
  send(message: TMailMessage): Promise<void>;
};

export type MailerConfig = {
  /** smtp(s)://user:pass@host:port; unset → messages are written under `fileDir` instead. */
  smtpUrl?: string;
  from: string;
  /** Where the embedded mode writes messages (`.data/mail/` in the app). */
  fileDir: string;
  logger: Logger;
};

/**
 * SMTP when configured. Otherwise (embedded default) each message becomes a JSON file under
 * `fileDir` and one log line with its link, so a developer can follow invitation and reset
 * links without a mail server.
 */
export function createMailer(config: MailerConfig): Mailer {
  if (config.smtpUrl) {
    const transport = createTransport(config.smtpUrl);
    return {
      async send(message) {
        const info = await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
        config.logger.info({ messageId: info.messageId, recipient: message.to, subject: message.subject }, 'mail sent');
      },
    };
  }
  const transport = createTransport({ jsonTransport: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
      await mkdir(config.fileDir, { recursive: true });
      const file = path.join(config.fileDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeName(info.messageId)}.json`);
      // Re-indented so the file is easy to read; the link stays on one line.
      await writeFile(file, `${JSON.stringify(JSON.parse(info.message), null, 2)}\n`, { mode: 0o600 });
      config.logger.info({ recipient: message.to, subject: message.subject, link: message.link, file }, 'mail written to file (no SMTP_URL)');
    },
  };
}

function safeName(messageId: string): string {
  return messageId.replace(/[^a-zA-Z0-9-]/g, '').slice(0, 40);
}
