import net from 'node:net';
import type { TSherpaTts } from '../providers/piper-voice';
import { MessageReader, type TVoiceReply, encodeMessage } from './protocol';

type TPending = {
  onProgress?: (info: { samples: Float32Array; progress: number }) => number | boolean;
  resolve(): void;
  reject(error: Error): void;
};

export class VoiceServerError extends Error {
  override name = 'VoiceServerError';
}

/**
 * A job process's handle on the worker's shared voice (server.ts): the same `generateAsync` as a
 * sherpa-onnx voice loaded in this process, so PiperTTS uses either. Each sentence's samples reach
 * `onProgress` as they arrive; returning false cancels the rest. A lost connection fails what is
 * in flight with VoiceServerError (the TTS reports it, and the session's fallback voice speaks);
 * the next request connects again.
 */
export class RemoteVoice implements TSherpaTts {
  #nextId = 1;

  private constructor(
    readonly sampleRate: number,
    private readonly socket: net.Socket,
    private readonly pending: Map<number, TPending>,
  ) {}

  get connected(): boolean {
    return !this.socket.destroyed;
  }

  /**
   * Connects and waits for the server's hello (its sample rate); rejects within `timeoutMs`. The
   * worker starts the voice process with the first connection, which waits for the voice to load.
   */
  static connect(socketPath: string, timeoutMs = 30_000): Promise<RemoteVoice> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const reader = new MessageReader<TVoiceReply>();
      const pending = new Map<number, TPending>();
      let voice: RemoteVoice | undefined;
      const timer = setTimeout(() => fail(new VoiceServerError(`the shared voice at ${socketPath} did not answer within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        for (const p of pending.values()) p.reject(error);
        pending.clear();
        if (!voice) reject(error);
      };
      socket.on('error', (error) => fail(new VoiceServerError(`the shared voice at ${socketPath}: ${error.message}`)));
      socket.on('close', () => fail(new VoiceServerError(`the shared voice at ${socketPath} closed the connection`)));
      socket.on('data', (data) => {
        let messages;
        try {
          messages = reader.push(data);
        } catch (error) {
          return fail(new VoiceServerError(`the shared voice sent a malformed message: ${(error as Error).message}`));
        }
        for (const { header, body } of messages) {
          if (header.type === 'hello') {
            clearTimeout(timer);
            voice = new RemoteVoice(header.sampleRate, socket, pending);
            resolve(voice);
            continue;
          }
          const request = pending.get(header.id);
          if (!request) continue; // cancelled here already
          if (header.type === 'chunk') {
            const keep = request.onProgress?.({ samples: body ?? new Float32Array(0), progress: 0 });
            if (keep === false || keep === 0) voice?.cancel(header.id);
          } else if (header.type === 'done') {
            pending.delete(header.id);
            request.resolve();
          } else if (header.type === 'error') {
            pending.delete(header.id);
            request.reject(new VoiceServerError(`the shared voice failed: ${header.message}`));
          }
        }
      });
    });
  }

  /**
   * Renders `text` on the server. Resolves when the server is done or the caller stopped it; the
   * samples come through `onProgress` only (the result's are empty: nobody here needs them twice).
   */
  generateAsync(req: Parameters<TSherpaTts['generateAsync']>[0]): ReturnType<TSherpaTts['generateAsync']> {
    if (this.socket.destroyed) return Promise.reject(new VoiceServerError('the shared voice connection is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        onProgress: req.onProgress,
        resolve: () => resolve({ samples: new Float32Array(0), sampleRate: this.sampleRate }),
        reject,
      });
      this.socket.write(encodeMessage({ type: 'synthesize', id, text: req.text, sid: req.sid, speed: req.speed }));
    });
  }

  /** Stops a request: the server skips it or stops at its next sentence; its promise resolves now. */
  cancel(id: number): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    if (!this.socket.destroyed) this.socket.write(encodeMessage({ type: 'cancel', id }));
    request.resolve();
  }

  close(): void {
    this.socket.destroy();
  }
}
