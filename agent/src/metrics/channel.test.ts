import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { initializeLogger, log } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentMetrics } from './agent-metrics';
import { type TMetricsCollector, startMetricsCollector } from './collector';
import { type TMetricsServer, serveMetrics } from './http-server';
import { createSocketSink } from './reporter';
import { recordReplyLatency, recordSessionEnded, recordSessionStarted } from './session-metrics';

/**
 * The path from a job process to Prometheus, over real sockets: job-side sink → the supervisor's
 * Unix socket → its registry → `GET /metrics` over HTTP.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-metrics-test-'));
let collector: TMetricsCollector;
let server: TMetricsServer;
const metrics = createAgentMetrics({ defaultMetrics: false });
const TOKEN = 'scrape-token-0123456789';

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  collector = await startMetricsCollector({ metrics, socketPath: path.join(dir, 'jobs.sock'), logger: log() });
  server = await serveMetrics({ registry: metrics.registry, port: 0, host: '127.0.0.1', token: TOKEN });
});
afterAll(async () => {
  await server.close();
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});
const sinks: ReturnType<typeof createSocketSink>[] = [];
afterEach(() => sinks.splice(0).forEach((s) => s.close()));

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(`http://127.0.0.1:${server.port}/metrics`, { headers });

async function valueOf(line: RegExp): Promise<number | undefined> {
  const text = await (await scrape()).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? undefined : Number(found.split(' ').at(-1));
}

async function eventually(read: () => Promise<number | undefined>, want: number): Promise<void> {
  const deadline = Date.now() + 3000;
  while ((await read()) !== want) {
    if (Date.now() > deadline) throw new Error(`expected ${want}, last ${await read()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the job processes’ metrics channel', () => {
  it('carries a job process’s observations to the scrape endpoint, and forgets its sessions when it is gone', async () => {
    const job = createSocketSink(collector.socketPath);
    sinks.push(job);
    // Sent before the connection is up: queued, then delivered.
    recordSessionStarted(job, { mode: 'roleplay', channel: 'web' });
    recordReplyLatency(job, { transcriptionDelayMs: 640, llmTtftMs: 210, ttsTtfbMs: 150, voiceToVoiceMs: 1300 });
    await eventually(() => valueOf(/^avatar_adam_active_sessions\{/), 1);
    await eventually(() => valueOf(/^avatar_adam_voice_stage_seconds_count\{.*stage="llm_ttft"/), 1);
    expect(await valueOf(/^avatar_adam_voice_to_voice_seconds_count\{/)).toBe(1);

    const crashed = createSocketSink(collector.socketPath);
    sinks.push(crashed);
    recordSessionStarted(crashed, { mode: 'coach', channel: 'web' });
    await eventually(() => valueOf(/^avatar_adam_active_sessions\{/), 2);
    crashed.close();
    await eventually(() => valueOf(/^avatar_adam_active_sessions\{/), 1);

    recordSessionEnded(job, 'trainee_left');
    await eventually(() => valueOf(/^avatar_adam_active_sessions\{/), 0);
    expect(await valueOf(/^avatar_adam_sessions_ended_total\{.*reason="trainee_left"/)).toBe(1);
  });

  it('ignores lines that are not metric events and keeps reading the ones that are', async () => {
    const socket = net.createConnection(collector.socketPath);
    await new Promise((r) => socket.once('connect', r));
    socket.write('not json\n{"t":"session_ended","reason":"made_up"}\n{"t":"session_ended","reason":"time_limit"}\n');
    await eventually(() => valueOf(/^avatar_adam_sessions_ended_total\{.*reason="time_limit"/), 1);
    expect((await (await scrape()).text()).includes('made_up')).toBe(false);
    socket.destroy();
  });

  it('serves /metrics only with the bearer token when one is set', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
  });
});
