import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { log } from '@livekit/agents';
import { createAgentMetrics } from './agent-metrics';
import { startMetricsCollector } from './collector';
import { serveMetrics } from './http-server';
import { METRICS_SOCKET_ENV } from './reporter';

type Logger = ReturnType<typeof log>;

/**
 * The supervisor's side of the worker's metrics: one registry, fed by every job process over a
 * private Unix socket (in a fresh 0700 folder) and served at `GET /metrics` on `port`. Must run
 * before `cli.runApp`, so the job processes agents-js forks inherit the socket's address.
 * Port 0 turns metrics off; a port that cannot be opened is logged and the worker runs without them.
 * Job processes report through `./reporter` and `./session-metrics`, which do not load prom-client.
 */
export async function startAgentMetrics(opts: { port: number; token?: string; logger: Logger }): Promise<void> {
  if (opts.port === 0) return;
  const metrics = createAgentMetrics();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-metrics-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const collector = await startMetricsCollector({ metrics, socketPath: path.join(dir, 'jobs.sock'), logger: opts.logger });
  try {
    await serveMetrics({ registry: metrics.registry, port: opts.port, token: opts.token });
    process.env[METRICS_SOCKET_ENV] = collector.socketPath;
    opts.logger.info({ port: opts.port, auth: Boolean(opts.token) }, 'agent metrics served at /metrics');
  } catch (error) {
    await collector.close();
    opts.logger.error({ error, port: opts.port }, 'agent metrics are off: cannot open the metrics port');
  }
}
