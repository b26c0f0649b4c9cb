import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256File } from '../../agent/src/models/hash';
import { ModelsError, UnreachableError } from './errors';

export type TDownloadOptions = {
  url: string;
  dest: string;
  sha256: string;
  bytes: number;
  /** Give up if the server has not answered within this time (the hub is often unreachable). */
  connectTimeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
};

/**
 * Downloads into `<dest>.partial`, resuming with a Range request when a partial file exists, and
 * renames to `dest` only after the sha256 matches. A body that fails the hash is deleted, so the
 * next attempt starts clean; an interrupted one is kept for resuming.
 */
export async function downloadVerified(options: TDownloadOptions): Promise<{ resumedFrom: number }> {
  const { url, dest, sha256, bytes } = options;
  const partial = `${dest}.partial`;
  await mkdir(path.dirname(dest), { recursive: true });
  let have = await sizeOrZero(partial);
  if (have > bytes) {
    await rm(partial, { force: true });
    have = 0;
  }
  const resumedFrom = have;
  if (have < bytes) have = await fetchInto(options, partial, have);
  if (have !== bytes) throw new ModelsError(`${path.basename(dest)}: got ${have} bytes from ${url}, expected ${bytes}`);
  const actual = await sha256File(partial);
  if (actual !== sha256) {
    await rm(partial, { force: true });
    throw new ModelsError(`${path.basename(dest)}: sha256 mismatch from ${url} (got ${actual.slice(0, 12)}…, expected ${sha256.slice(0, 12)}…); discarded`);
  }
  await rename(partial, dest);
  return { resumedFrom };
}

async function fetchInto(options: TDownloadOptions, partial: string, have: number): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.connectTimeoutMs ?? 10_000);
  let response: Response;
  try {
    response = await fetch(options.url, {
      headers: have > 0 ? { Range: `bytes=${have}-` } : {},
      signal: controller.signal,
      redirect: 'follow',
    });
  } catch (error) {
    throw new UnreachableError(`cannot reach ${new URL(options.url).host}: ${describeFetchError(error)}`);
  } finally {
    clearTimeout(timer);
  }
  // 206: the server continues where the partial file ends; 200: it sent everything, start over.
  const append = response.status === 206 && have > 0;
  if (response.status === 416 && have > 0) return have;
  if (!response.ok || !response.body) throw new ModelsError(`${options.url}: HTTP ${response.status}`);
  let done = append ? have : 0;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    done += chunk.length;
    if (done > options.bytes) body.destroy(new ModelsError(`${options.url}: larger than the expected ${options.bytes} bytes`));
    options.onProgress?.(done, options.bytes);
  });
  await pipeline(body, createWriteStream(partial, { flags: append ? 'a' : 'w' }));
  return sizeOrZero(partial);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if ((error as Error).name === 'AbortError') return 'timed out';
  return cause?.code ?? (error as Error).message;
}

async function sizeOrZero(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
