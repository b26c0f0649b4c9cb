import net from 'node:net';
import { type TMetricEvent, type TMetricSink, discardMetrics } from './events';

/**
 * Set by the supervisor before agents-js forks its job processes, which inherit its environment:
 * where they send their metric events. Internal plumbing, not configuration.
 */
export const METRICS_SOCKET_ENV = 'AVATAR_ADAM_METRICS_SOCKET';

/** Events kept while (re)connecting; beyond this the oldest are dropped rather than piling up. */
const MAX_QUEUED = 1000;
const RECONNECT_AFTER_MS = 1000;

export type TSocketSink = TMetricSink & { close(): void };

/**
 * A job process's end of the metrics channel. `send` never blocks and never throws: an event is one
 * buffered socket write (or a queue push while connecting), so it is safe to call from any event
 * handler of the session. If the supervisor is gone, events are dropped; sessions go on.
 */
export function createSocketSink(socketPath: string): TSocketSink {
  let socket: net.Socket | undefined;
  let connected = false;
  let closed = false;
  let lastAttempt = 0;
  const queue: string[] = [];

  const connect = () => {
    lastAttempt = Date.now();
    const s = net.createConnection(socketPath);
    socket = s;
    // Never the reason a job process stays alive after its job.
    s.unref();
    s.on('connect', () => {
      connected = true;
      for (const line of queue.splice(0)) s.write(line);
    });
    s.on('error', () => {});
    s.on('close', () => {
      if (socket === s) {
        socket = undefined;
        connected = false;
      }
    });
  };

  connect();
  return {
    send(event: TMetricEvent) {
      if (closed) return;
      const line = `${JSON.stringify(event)}\n`;
      if (connected && socket) {
        socket.write(line);
        return;
      }
      queue.push(line);
      if (queue.length > MAX_QUEUED) queue.shift();
      if (!socket && Date.now() - lastAttempt >= RECONNECT_AFTER_MS) connect();
    },
    close() {
      closed = true;
      socket?.end();
    },
  };
}

let processSink: TMetricSink | undefined;

/** This process's sink: the supervisor's socket when it serves metrics, else events go nowhere. */
export function processMetricSink(): TMetricSink {
  if (processSink) return processSink;
  const socketPath = process.env[METRICS_SOCKET_ENV];
  processSink = socketPath ? createSocketSink(socketPath) : discardMetrics;
  return processSink;
}
