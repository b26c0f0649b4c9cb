import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { TSendEmailJob } from './job-queue';

type TMailLogger = { info(obj: object, msg: string): void };

/** Delivers one email; the job worker's `send-email` handler holds the only one. */
export type TMailTransport = { deliver(message: TSendEmailJob): Promise<void> };

export type TMailTransportConfig = {
  /** smtp(s)://user:pass@host:port; unset → messages are written under `fileDir` instead. */
  smtpUrl?: string;
  from: string;
  /** Where the embedded mode writes messages (`.data/mail/`). */
  fileDir: string;
  logger: TMailLogger;
};

/**
 * SMTP when configured. Otherwise (embedded default) each message becomes a JSON file under
 * `fileDir` and one log line with its link, so a developer can follow invitation and reset
 * links without a mail server.
 */
export function createMailTransport(config: TMailTransportConfig): TMailTransport {
  const envelope = (m: TSendEmailJob) => ({ from: config.from, to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}) });
  if (config.smtpUrl) {
    const transport = createTransport(config.smtpUrl);
    return {
      async deliver(message) {
        const info = await transport.sendMail(envelope(message));
        config.logger.info({ messageId: info.messageId, recipient: message.to, kind: message.kind }, 'mail sent');
      },
    };
  }
  const transport = createTransport({ jsonTransport: true });
  return {
    async deliver(message) {
      const info = await transport.sendMail(envelope(message));
      await mkdir(config.fileDir, { recursive: true });
      const file = path.join(config.fileDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeName(info.messageId)}.json`);
      // Re-indented so the file is easy to read; the link stays on one line. Written under another
      // name and renamed, so that whoever watches the folder never reads half a message.
      await writeFile(`${file}.partial`, `${JSON.stringify(JSON.parse(info.message), null, 2)}\n`, { mode: 0o600 });
      await rename(`${file}.partial`, file);
      config.logger.info({ recipient: message.to, kind: message.kind, link: message.link, file }, 'mail written to file (no SMTP_URL)');
    },
  };
}

function safeName(messageId: string): string {
  return messageId.replace(/[^a-zA-Z0-9-]/g, '').slice(0, 40);
}
