import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TModelEntry } from '../../agent/src/models/manifest';
import { pullEntry } from './install';

const BODY = randomBytes(64 * 1024);
let server: Server;
let root: string;
let corrupt: boolean;
let entry: TModelEntry;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'models-install-'));
  corrupt = false;
  server = createServer((_req, res) => res.end(corrupt ? Buffer.alloc(BODY.length) : BODY));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/w.bin`;
  entry = {
    kind: 'model',
    id: 'fixture-model',
    purpose: 'llm',
    description: 'test fixture',
    licence: 'none',
    engine: 'none',
    files: [{ path: 'w.bin', sha256: createHash('sha256').update(BODY).digest('hex'), bytes: BODY.length, sources: [{ kind: 'hub', url }] }],
    derived: [],
  };
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

const ctx = () => ({ root, hubTimeoutMs: 2000, log: () => {} });

describe('pullEntry', () => {
  it('installs into <root>/<id> with installed.json, and skips a verified install next time', async () => {
    expect(await pullEntry(entry, ctx())).toBe('installed');
    const record = JSON.parse(await readFile(path.join(root, entry.id, 'installed.json'), 'utf8'));
    expect(record.files).toEqual([expect.objectContaining({ path: 'w.bin', sha256: entry.files[0]?.sha256 })]);
    expect(await pullEntry(entry, ctx())).toBe('skipped');
  });

  it('leaves nothing in place when every source serves the wrong bytes', async () => {
    corrupt = true;
    await expect(pullEntry(entry, ctx())).rejects.toThrow('no source worked');
    await expect(access(path.join(root, entry.id))).rejects.toThrow();
  });
});
