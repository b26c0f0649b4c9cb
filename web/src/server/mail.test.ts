import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from './mail';

describe('createMailer without SMTP_URL', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as a readable file with the link intact', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'avatar-adam-mail-'));
    const fileDir = path.join(dir, 'mail');
    const mailer = createMailer({ from: 'AvatarAdam <no-reply@avatar-adam.local>', fileDir, logger: pino({ level: 'silent' }) });
    const link = `http://localhost:3000/invite/${'x'.repeat(43)}`;
    await mailer.send({ to: 'new.hire@lakeside.example', subject: 'You are invited', text: `Join here:\n${link}\n`, link });
    await mailer.send({ to: 'second@lakeside.example', subject: 'Second', text: 'second', link: 'http://localhost:3000/x' });

    const files = (await readdir(fileDir)).sort();
    expect(files).toHaveLength(2);
    const message = JSON.parse(await readFile(path.join(fileDir, files[0]!), 'utf8'));
    expect(message.subject).toBe('You are invited');
    expect(message.to).toEqual([{ address: 'new.hire@lakeside.example', name: '' }]);
    expect(message.from).toEqual({ address: 'no-reply@avatar-adam.local', name: 'AvatarAdam' });
    expect(message.text).toContain(link);
  });
});
