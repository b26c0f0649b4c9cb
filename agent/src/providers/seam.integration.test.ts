import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initializeLogger, llm } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TProcessEngines, createSessionEngines, loadProcessEngines, resolveProviders } from './index';

/**
 * The provider seam end to end with real engines: settings pick the official OpenAI plugin for an
 * OpenAI-compatible server (here a small stand-in server of this test, since the machine has no
 * internet), the local llama.cpp model stays as failover, and embeddings go through the same base
 * URL. Proves the cloud path is configuration only, and that failover works.
 */
const REPLY = ['Fine, ', 'show me ', 'the numbers.'];
const requests: { path: string; body: Record<string, unknown> }[] = [];
let mode: 'ok' | 'fail' = 'ok';
let embeddingDims = 384;
let server: Server;
let baseURL: string;
let engines: TProcessEngines;

function sse(res: import('node:http').ServerResponse, chunks: unknown[]) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
  res.end('data: [DONE]\n\n');
}

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      requests.push({ path: req.url ?? '', body });
      if (mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream down"}}');
        return;
      }
      if (req.url === '/v1/chat/completions') {
        const base = { id: 'c1', object: 'chat.completion.chunk', created: 0, model: body.model };
        sse(res, [
          ...REPLY.map((content) => ({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] })),
          { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        ]);
      } else if (req.url === '/v1/embeddings') {
        const input = body.input as string[];
        const data = input.map((_, index) => ({ object: 'embedding', index, embedding: Array.from({ length: embeddingDims }, (_, i) => (i === index ? 3 : 0)) }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: body.model }));
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  const resolved = await resolveProviders({
    OPENAI_BASE_URL: baseURL,
    OPENAI_LLM_MODEL: 'served-model',
    OPENAI_EMBEDDINGS_MODEL: 'served-embedder',
    AGENT_LLM: 'openai,llama',
    AGENT_TTS: 'flite',
    PROVIDER_TIMEOUT_MS: '3000',
  });
  engines = await loadProcessEngines({ resolved, vad: await silero.VAD.load() });
}, 120_000);

afterAll(async () => {
  await engines?.stt.close();
  server?.close();
});

async function reply(model: llm.LLM): Promise<string> {
  const chatCtx = llm.ChatContext.empty();
  chatCtx.addMessage({ role: 'system', content: 'You are a car buyer. Answer in one short sentence.' });
  chatCtx.addMessage({ role: 'user', content: 'Your payment with the service contract is four hundred a month.' });
  let text = '';
  for await (const chunk of model.chat({ chatCtx })) text += chunk.delta?.content ?? '';
  return text;
}

describe('provider seam on an OpenAI-compatible server with local failover', () => {
  it('plans the compatible server first and the local model as failover', () => {
    const { plan } = engines.resolved;
    expect(plan.llm.chain.map((c) => `${c.engine}:${c.model}`)).toEqual(['openai:served-model', 'llama:SmolLM2-135M-Instruct Q4_1']);
    expect(plan.embeddings.chain.map((c) => c.engine)).toEqual(['openai']);
    expect(plan.stt.chain[0]?.engine).toBe('whisper');
  });

  it('answers through the official OpenAI plugin when the server is up', async () => {
    mode = 'ok';
    const session = await createSessionEngines(engines, { voiceHint: 'slt' });
    expect(await reply(session.llm)).toBe(REPLY.join(''));
    const call = requests.findLast((r) => r.path === '/v1/chat/completions')!;
    expect(call.body).toMatchObject({ model: 'served-model', stream: true });
    expect(JSON.stringify(call.body.messages)).toContain('You are a car buyer.');
  });

  it('fails over to the local model when the server errors, and marks it unavailable', async () => {
    mode = 'fail';
    const session = await createSessionEngines(engines, { voiceHint: 'slt' });
    const changes: boolean[] = [];
    session.llm.on('llm_availability_changed' as never, ((ev: { available: boolean }) => changes.push(ev.available)) as never);
    const text = await reply(session.llm);
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text).not.toBe(REPLY.join(''));
    expect(session.llama?.lastTurn?.completionTokens).toBeGreaterThan(0);
    expect(changes).toContain(false);
    mode = 'ok';
  }, 60_000);

  it('embeds through the same base URL as unit vectors, and refuses a model of the wrong size', async () => {
    const vectors = await engines.embeddings!.embed(['GAP covers the gap', 'tire and wheel']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]![0]).toBeCloseTo(1, 6);
    expect(vectors[1]![1]).toBeCloseTo(1, 6);
    expect(requests.findLast((r) => r.path === '/v1/embeddings')!.body).toMatchObject({ model: 'served-embedder' });
    embeddingDims = 1536;
    await expect(engines.embeddings!.embed(['x'])).rejects.toThrow(/returned 1536 dimensions; the database stores 384/);
    embeddingDims = 384;
  });
});
