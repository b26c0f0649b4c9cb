import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APITimeoutError } from '@livekit/agents';

const MAX_STDERR_CHARS = 2000;

export class FliteMissingError extends Error {
  constructor(binary: string) {
    super(`flite is not installed ("${binary}" not found); install it with: apt-get install flite`);
    this.name = 'FliteMissingError';
  }
}

type TFliteOutput = { stdout: Buffer; stderr: string };

/**
 * Runs the flite binary and returns its output. Resolves `null` when aborted: an interrupted
 * utterance is normal, not an error the session should count. A hung process is killed after
 * `timeoutMs` with a retryable timeout error.
 */
export function runFlite(
  binary: string,
  args: string[],
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<TFliteOutput | null> {
  const { timeoutMs = 10_000, signal } = opts;
  if (signal?.aborted) return Promise.resolve(null);

  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () =>
      finish(() => {
        child.kill('SIGKILL');
        resolve(null);
      });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new APITimeoutError({ message: `flite did not finish within ${timeoutMs} ms` })));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(() => reject(error.code === 'ENOENT' ? new FliteMissingError(binary) : error)),
    );
    child.on('close', (code, sig) =>
      finish(() => {
        if (code === 0) return resolve({ stdout: Buffer.concat(stdout), stderr });
        const why = code === null ? `was killed by ${sig}` : `exited with code ${code}`;
        reject(new Error(`flite ${why}: ${stderr.trim().slice(0, MAX_STDERR_CHARS) || 'no output'}`));
      }),
    );
  });
}

/**
 * Renders `text` to WAV bytes, or `null` when aborted. Flite cannot write the WAV to our stdout
 * (Node gives children a socket, which `-o /dev/stdout` cannot open), so it goes through a private
 * temporary directory that is removed whatever happens.
 */
export async function synthesizeWav(
  binary: string,
  opts: { voice: string; text: string; timeoutMs?: number; signal?: AbortSignal },
): Promise<Buffer | null> {
  const dir = await mkdtemp(join(tmpdir(), 'flite-'));
  try {
    const file = join(dir, 'speech.wav');
    const args = ['-voice', opts.voice, '-t', opts.text, '-o', file];
    const out = await runFlite(binary, args, opts);
    if (!out) return null;
    // flite reports a failed write on stderr but still exits 0.
    const wav = await readFile(file).catch(() => null);
    if (!wav?.length) throw new Error(`flite wrote no audio: ${out.stderr.trim() || 'no output'}`);
    return wav;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Voices compiled into this flite build (`flite -lv`). */
export async function listFliteVoices(binary = 'flite'): Promise<string[]> {
  const out = await runFlite(binary, ['-lv']);
  const line = out?.stdout.toString('utf8') ?? '';
  return line.replace(/^Voices available:/, '').trim().split(/\s+/).filter(Boolean);
}
