import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailTransport } from './job-queue-mail';

const silent = { info: () => {} };

describe('createMailTransport without SMTP_URL', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each message as a readable file with the link intact', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'avatar-adam-mail-'));
    const fileDir = path.join(dir, 'mail');
    const transport = createMailTransport({ from: 'AvatarAdam <no-reply@avatar-adam.local>', fileDir, logger: silent });
    const link = `http://localhost:3000/invite/${'x'.repeat(43)}`;
    await transport.deliver({ to: 'new.hire@lakeside.example', subject: 'You are invited', text: `Join here:\n${link}\n`, link, kind: 'invitation' });
    await transport.deliver({ to: 'second@lakeside.example', subject: 'Second', text: 'second', kind: 'password_reset' });

    const files = (await readdir(fileDir)).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.json'))).toBe(true); // nothing left under its temporary name
    const message = JSON.parse(await readFile(path.join(fileDir, files[0]!), 'utf8'));
    expect(message.subject).toBe('You are invited');
    expect(message.to).toEqual([{ address: 'new.hire@lakeside.example', name: '' }]);
    expect(message.from).toEqual({ address: 'no-reply@avatar-adam.local', name: 'AvatarAdam' });
    expect(message.text).toContain(link);
  });
});
