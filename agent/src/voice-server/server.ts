import { rmSync } from 'node:fs';
import net from 'node:net';
import type { TSherpaTts } from '../providers/piper-voice';
import { MessageReader, ProtocolError, type TVoiceReply, type TVoiceRequest, encodeMessage } from './protocol';

type TJob = { id: number; text: string; sid: number; speed: number; cancelled: boolean; socket: net.Socket };

export type TVoiceService = {
  /** Serves one client connection (a socket accepted here, or handed over by the supervisor). */
  accept(socket: net.Socket): void;
  /** Connections open now. */
  readonly connections: number;
  /** Stops serving; resolves once the synthesis under way (cancelled) has stopped too. */
  close(): Promise<void>;
};

/**
 * Serves one loaded Piper voice to every job process of this worker host over a Unix socket: the
 * voice's weights and onnxruntime's buffers (~180 MB) are held once instead of once per job
 * process. Requests run one at a time, first come first served (espeak-ng's phonemiser is not
 * thread-safe, and one synthesis already uses the voice's threads); each sentence's samples are
 * sent as soon as they exist. A cancelled request stops at its next sentence, or is skipped if it
 * has not started; a client that disconnects cancels all of its requests.
 */
export function createVoiceService(opts: { voice: TSherpaTts; onError?: (error: unknown) => void; onIdle?: () => void }): TVoiceService {
  const queue: TJob[] = [];
  let running: TJob | undefined;
  let runningDone: Promise<void> = Promise.resolve();
  const sockets = new Set<net.Socket>();
  const send = (socket: net.Socket, header: TVoiceReply, body?: Float32Array) => {
    if (!socket.destroyed) socket.write(encodeMessage(header, body));
  };

  const runNext = () => {
    if (running) return;
    const job = queue.shift();
    if (!job) return;
    if (job.cancelled || job.socket.destroyed) return runNext();
    running = job;
    runningDone = opts.voice
      .generateAsync({
        text: job.text,
        sid: job.sid,
        speed: job.speed,
        onProgress: ({ samples }) => {
          if (job.cancelled || job.socket.destroyed) return false;
          send(job.socket, { type: 'chunk', id: job.id }, samples);
          return true;
        },
      })
      .then(
        () => send(job.socket, { type: 'done', id: job.id }),
        (error: unknown) => send(job.socket, { type: 'error', id: job.id, message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        running = undefined;
        runNext();
      })
      .then(() => undefined);
  };

  const accept = (socket: net.Socket) => {
    sockets.add(socket);
    const reader = new MessageReader<TVoiceRequest>();
    const mine = new Map<number, TJob>();
    const forget = () => {
      for (const job of mine.values()) job.cancelled = true;
      mine.clear();
      if (sockets.delete(socket) && sockets.size === 0) opts.onIdle?.();
    };
    socket.on('close', forget);
    socket.on('error', forget);
    socket.on('data', (data) => {
      let messages;
      try {
        messages = reader.push(data);
      } catch (error) {
        opts.onError?.(error instanceof ProtocolError ? error : new ProtocolError(String(error)));
        socket.destroy();
        return;
      }
      for (const { header } of messages) {
        if (header.type === 'synthesize') {
          const job: TJob = { id: header.id, text: String(header.text), sid: Number(header.sid) || 0, speed: Number(header.speed) || 1, cancelled: false, socket };
          mine.set(job.id, job);
          queue.push(job);
        } else if (header.type === 'cancel') {
          const job = mine.get(header.id);
          if (job) job.cancelled = true;
        }
      }
      runNext();
    });
    send(socket, { type: 'hello', sampleRate: opts.voice.sampleRate });
    // A socket handed over by the supervisor arrives paused.
    socket.resume();
  };

  return {
    accept,
    get connections() {
      return sockets.size;
    },
    close: async () => {
      for (const job of queue) job.cancelled = true;
      if (running) running.cancelled = true;
      for (const socket of sockets) socket.destroy();
      await runningDone;
    },
  };
}

/** The service listening on a socket of its own (tests; the worker hands connections over instead). */
export function serveVoice(opts: { socketPath: string; voice: TSherpaTts; onError?: (error: unknown) => void }): Promise<{ close(): Promise<void> }> {
  const service = createVoiceService(opts);
  const server = net.createServer((socket) => service.accept(socket));
  // A socket file left by a process that was killed would make listen() fail.
  rmSync(opts.socketPath, { force: true });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.socketPath, () => {
      server.off('error', reject);
      resolve({
        close: async () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          await Promise.all([closed, service.close()]);
        },
      });
    });
  });
}
