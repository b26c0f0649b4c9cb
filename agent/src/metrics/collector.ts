import net from 'node:net';
import type { log } from '@livekit/agents';
import type { TAgentMetrics } from './agent-metrics';
import { ZMetricEvent } from './events';

type Logger = ReturnType<typeof log>;

/** A job process sends a handful of small events per reply; a longer line is not ours. */
const MAX_LINE_CHARS = 4096;

export type TMetricsCollector = { socketPath: string; close(): Promise<void> };

/**
 * The supervisor's end of the job processes' metrics channel: a Unix socket beside, not inside,
 * agents-js's own IPC (which is its protocol, and whose child handles the worker does not expose).
 * Each connection is one job process; its events are applied to the supervisor's registry, and
 * when it closes (the process ended or was killed) its sessions and circuit states go with it.
 */
export async function startMetricsCollector(opts: {
  metrics: TAgentMetrics;
  socketPath: string;
  logger: Logger;
}): Promise<TMetricsCollector> {
  const { metrics, logger } = opts;
  let rejected = 0;
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const source = metrics.addSource();
    connections.add(socket);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const parsed = parseLine(line);
        if (parsed) metrics.apply(source, parsed);
        // A sender that speaks something else is logged once per worker, not per line.
        else if (rejected++ === 0) logger.warn({ line: line.slice(0, 200) }, 'metrics channel: ignoring a malformed event');
        newline = pending.indexOf('\n');
      }
      if (pending.length > MAX_LINE_CHARS) socket.destroy();
    });
    socket.on('close', () => {
      connections.delete(socket);
      metrics.removeSource(source);
    });
    // A job process that dies mid-write resets the connection; 'close' follows and cleans up.
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  return {
    socketPath: opts.socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
      }),
  };
}

function parseLine(line: string) {
  try {
    const parsed = ZMetricEvent.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
