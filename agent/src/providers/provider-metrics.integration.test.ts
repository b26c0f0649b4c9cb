import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { initializeLogger, llm, log } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TAgentMetrics, createAgentMetrics } from '../metrics/agent-metrics';
import { type TMetricsCollector, startMetricsCollector } from '../metrics/collector';
import { METRICS_SOCKET_ENV } from '../metrics/reporter';
import { type TProcessEngines, createSessionEngines, loadProcessEngines, resolveProviders } from './index';

/**
 * The engines' circuit states and failures reach the worker's metrics: an OpenAI-compatible server
 * that answers 500 is counted as provider errors and shown unavailable, while the local model the
 * chain fails over to stays available. Real engines, a real collector socket, as in a job process.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-provider-metrics-'));
let metrics: TAgentMetrics;
let collector: TMetricsCollector;
let server: Server;
let engines: TProcessEngines;

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  metrics = createAgentMetrics({ defaultMetrics: false });
  collector = await startMetricsCollector({ metrics, socketPath: path.join(dir, 'jobs.sock'), logger: log() });
  // What the supervisor hands its job processes; read on the first report of this process.
  process.env[METRICS_SOCKET_ENV] = collector.socketPath;
  server = createServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream down"}}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const resolved = await resolveProviders({
    OPENAI_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    OPENAI_LLM_MODEL: 'served-model',
    AGENT_LLM: 'openai,llama',
    AGENT_TTS: 'flite',
    PROVIDER_TIMEOUT_MS: '3000',
  });
  engines = await loadProcessEngines({ resolved, vad: await silero.VAD.load() });
}, 120_000);

afterAll(async () => {
  await engines?.stt.close();
  server?.close();
  await collector?.close();
  delete process.env[METRICS_SOCKET_ENV];
  rmSync(dir, { recursive: true, force: true });
});

async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
}

describe('engine failures in the worker metrics', () => {
  it('counts the failing server’s errors and shows it unavailable while the local model answers', async () => {
    const session = await createSessionEngines(engines, { voiceHint: 'slt' });
    const chatCtx = llm.ChatContext.empty();
    chatCtx.addMessage({ role: 'user', content: 'What is the payment with the service contract?' });
    let text = '';
    for await (const chunk of session.llm.chat({ chatCtx })) text += chunk.delta?.content ?? '';
    expect(text.trim().length).toBeGreaterThan(0);

    const deadline = Date.now() + 5000;
    while ((await value('avatar_adam_provider_available', { capability: 'llm', provider: 'openai' })) !== 0) {
      if (Date.now() > deadline) throw new Error('the failed engine was never reported unavailable');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await value('avatar_adam_provider_available', { capability: 'llm', provider: 'llama' })).toBe(1);
    expect(await value('avatar_adam_provider_errors_total', { capability: 'llm', provider: 'openai' })).toBeGreaterThan(0);
    expect(await value('avatar_adam_provider_errors_total', { capability: 'llm', provider: 'llama' })).toBeUndefined();
  }, 60_000);
});
