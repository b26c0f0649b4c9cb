import { randomBytes, createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadVerified } from './download';
import { UnreachableError } from './errors';

const BODY = randomBytes(256 * 1024 + 17);
const SHA = createHash('sha256').update(BODY).digest('hex');

type TServe = { corrupt?: boolean; ignoreRange?: boolean };
let server: Server;
let url: string;
let dir: string;
let ranges: (string | undefined)[];
let mode: TServe;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'models-download-'));
  ranges = [];
  mode = {};
  server = createServer((req, res) => {
    ranges.push(req.headers.range);
    const body = mode.corrupt ? Buffer.from(BODY).fill(0, 1000, 1010) : BODY;
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (match && !mode.ignoreRange) {
      const start = Number(match[1]);
      res.writeHead(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.bin`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const exists = (file: string) => access(file).then(() => true, () => false);

describe('downloadVerified', () => {
  it('downloads, checks the sha256 and renames into place', async () => {
    const dest = path.join(dir, 'model.bin');
    await downloadVerified({ url, dest, sha256: SHA, bytes: BODY.length });
    expect((await readFile(dest)).equals(BODY)).toBe(true);
    expect(await exists(`${dest}.partial`)).toBe(false);
    expect(ranges).toEqual([undefined]);
  });

  it('resumes a partial file with a Range request', async () => {
    const dest = path.join(dir, 'model.bin');
    await writeFile(`${dest}.partial`, BODY.subarray(0, 100_000));
    const { resumedFrom } = await downloadVerified({ url, dest, sha256: SHA, bytes: BODY.length });
    expect(resumedFrom).toBe(100_000);
    expect(ranges).toEqual(['bytes=100000-']);
    expect((await readFile(dest)).equals(BODY)).toBe(true);
  });

  it('starts over when the server ignores Range and sends the whole file', async () => {
    mode.ignoreRange = true;
    const dest = path.join(dir, 'model.bin');
    await writeFile(`${dest}.partial`, BODY.subarray(0, 5000));
    await downloadVerified({ url, dest, sha256: SHA, bytes: BODY.length });
    expect((await readFile(dest)).equals(BODY)).toBe(true);
  });

  it('rejects a corrupted body and leaves neither the file nor a partial behind', async () => {
    mode.corrupt = true;
    const dest = path.join(dir, 'model.bin');
    await expect(downloadVerified({ url, dest, sha256: SHA, bytes: BODY.length })).rejects.toThrow('sha256 mismatch');
    expect(await exists(dest)).toBe(false);
    expect(await exists(`${dest}.partial`)).toBe(false);
  });

  it('rejects a resumed download whose earlier part was corrupt', async () => {
    const dest = path.join(dir, 'model.bin');
    const damaged = Buffer.from(BODY.subarray(0, 50_000)).fill(1, 0, 10);
    await writeFile(`${dest}.partial`, damaged);
    await expect(downloadVerified({ url, dest, sha256: SHA, bytes: BODY.length })).rejects.toThrow('sha256 mismatch');
    expect(await exists(dest)).toBe(false);
  });

  it('fails fast, as unreachable, when nothing listens', async () => {
    await new Promise((resolve) => server.close(resolve));
    server = createServer();
    const started = Date.now();
    const dest = path.join(dir, 'model.bin');
    await expect(downloadVerified({ url, dest, sha256: SHA, bytes: BODY.length, connectTimeoutMs: 2000 })).rejects.toBeInstanceOf(UnreachableError);
    expect(Date.now() - started).toBeLessThan(2500);
    server.listen(0, '127.0.0.1');
  });
});
