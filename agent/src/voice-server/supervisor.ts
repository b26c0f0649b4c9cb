import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { log } from '@livekit/agents';
import { forkAtNormalPriority } from '../process-priority';
import type { TPiperFiles } from '../providers/piper-voice';
import { SHARED_VOICE_SOCKET_ENV } from './socket-env';

export { SHARED_VOICE_SOCKET_ENV };

type Logger = ReturnType<typeof log>;

/**
 * The worker's side of the shared voice: it listens on the voice socket itself and starts the
 * voice process (voice-server-main) only when a job process connects, then hands each connection
 * over to it (the socket handle goes through the IPC channel; audio never passes through here).
 * An idle worker therefore holds no voice, and the voice process exits after `idleExitMs` without
 * connections. A voice process that fails to start or crashes is started again by the next
 * connection; after three failures within a minute, connections are refused for 30 s, and job
 * processes load the voice themselves meanwhile (PiperTTS).
 */
export async function serveSharedVoice(opts: {
  entry: string;
  /** The installed voice's files (the worker's provider plan). */
  voice: TPiperFiles;
  logger: Logger;
  idleExitMs: number;
  readyTimeoutMs?: number;
  /** Node flags for the child; by default this process's own (under tsx, its loader). */
  execArgv?: string[];
  socketPath?: string;
}): Promise<{ socketPath: string; warm(): void; close(): Promise<void>; readonly pid: number | undefined }> {
  const socketPath = opts.socketPath ?? path.join(os.tmpdir(), `avatar-adam-voice-${process.pid}.sock`);
  let child: ChildProcess | undefined;
  let ready: Promise<ChildProcess> | undefined;
  let closed = false;
  const failures: number[] = [];

  const start = (): Promise<ChildProcess> =>
    new Promise((resolve, reject) => {
      // Not through the wrapper that starts warm job processes at nice 10: live sessions wait on it.
      const proc = forkAtNormalPriority(opts.entry, [String(opts.idleExitMs), JSON.stringify(opts.voice)], { execArgv: opts.execArgv ?? process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child = proc;
      const timeoutMs = opts.readyTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`the shared voice was not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      proc.on('message', (message: { type?: string; message?: string }) => {
        if (message?.type === 'ready') {
          clearTimeout(timer);
          resolve(proc);
        } else if (message?.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(message.message ?? 'the shared voice did not start'));
        }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the shared voice exited (${signal ?? code}) before it was ready`));
        if (child === proc) {
          child = undefined;
          ready = undefined;
        }
        if (code === 0 || closed) return; // idle exit, or shutting down
        failures.push(Date.now());
        opts.logger.warn({ code, signal }, 'the shared voice exited; the next session starts it again');
      });
    });

  const voiceProcess = (): Promise<ChildProcess> => {
    if (ready) return ready;
    const recent = failures.filter((at) => Date.now() - at < 60_000);
    if (recent.length >= 3 && Date.now() - recent[recent.length - 1]! < 30_000) {
      return Promise.reject(new Error('the shared voice failed three times within a minute; job processes load the voice themselves for now'));
    }
    ready = start();
    ready.catch((error: unknown) => {
      ready = undefined;
      failures.push(Date.now());
      opts.logger.warn({ error }, 'the shared voice did not start');
    });
    return ready;
  };

  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    voiceProcess().then(
      (proc) => {
        if (!proc.connected || !proc.send({ type: 'client' }, socket)) socket.destroy();
      },
      () => socket.destroy(),
    );
  });
  // A socket file left by a worker that was killed would make listen() fail.
  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const stopChild = () => child?.kill('SIGTERM');
  process.once('exit', stopChild);
  // The worker is shutting down (its process group gets the signal too): nothing to restart.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => (closed = true));
  return {
    socketPath,
    /** Starts the voice process now if it is not running (a session was just dispatched). */
    warm: () => {
      if (!closed) voiceProcess().catch(() => {});
    },
    get pid() {
      return child?.pid;
    },
    close: async () => {
      closed = true;
      stopChild();
      // Not waiting for close's callback: it waits for connections, and the handed-over ones
      // still count here although this process no longer holds them.
      server.close();
      rmSync(socketPath, { force: true });
    },
  };
}
