import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { dispose } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { synthesizeWav } from '../agent/src/providers/flite-process';
import { parsePcmWav } from '../agent/src/providers/wav';
import { startWebTracing, type TWebTracing } from '../web/src/server/tracing';
import { sessionRow, traineeCaller, waitFor } from './harness/app';
import { joinAsTrainee } from './harness/participant';
import { type TestStack, startTestStack } from './harness/stack';

/**
 * One coach session followed across processes, as an operator's collector would see it: the
 * web's `session.start` (tRPC through the real router, tracer registered in this process) and the
 * agent's job process (real worker, exporting OTLP/HTTP to a receiver in this test) are one trace —
 * the agent's root under the web span, agents-js's own turn spans and our steps (session load,
 * retrieval, session end) inside it, and no trainee words in any attribute.
 */
let receiver: TOtlpReceiver;
let stack: TestStack;
let tracing: TWebTracing;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startTestStack({ agentEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  tracing = startWebTracing({ endpoint: receiver.url });
});
afterAll(async () => {
  await tracing?.shutdown();
  await stack?.stop();
  await receiver?.close();
  await dispose();
});

const QUESTION = 'What does GAP insurance cover?';

describe('tracing a practice session from the web request to each agent turn', () => {
  it('puts the agent job, its turns and our steps in the trace of session.start', async () => {
    onTestFailed(() => {
      const names = receiver.spans.map((s) => `${s.service}:${s.name}`).join(', ');
      process.stderr.write(`spans received: ${names}\nagent log tail:\n${stack.agent.tail().join('\n')}\n`);
    });
    const caller = traineeCaller(stack);
    const coach = (await caller.scenario.list()).find((s) => s.mode === 'coach')!;
    const started = await caller.session.start({ scenarioId: coach.id });

    const trainee = await joinAsTrainee(started);
    await trainee.waitForAgentReply(0, 45_000);
    const wav = parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text: QUESTION }))!);
    const endOfSpeech = await trainee.say(wav.samples, wav.sampleRate);
    await trainee.waitForAgentReply(endOfSpeech, 60_000);
    await trainee.leave();
    await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended', 30_000);
    await tracing.flush();

    const web = await waitFor('the web span', async () => receiver.spans.find((s) => s.name === 'trpc session.start'), Boolean);
    expect(web!.service).toBe('avatar-adam-web');
    expect(web!.attributes['avatar_adam.outcome']).toBe('ok');
    expect(web!.attributes['avatar_adam.dealership_id']).toBe(stack.seeded.dealershipId);

    // The job process sends its last spans as it shuts down.
    const inTrace = () => receiver.spans.filter((s) => s.traceId === web!.traceId && s.service === 'avatar-adam-agent');
    const agentSpans = await waitFor('the agent spans of the trace', async () => inTrace(), (spans) => spans.some((s) => s.name === 'avatar_adam.job'), 30_000);
    const byName = (name: string) => agentSpans.filter((s) => s.name === name);

    const root = byName('avatar_adam.job')[0]!;
    expect(root.parentSpanId).toBe(web!.spanId);
    expect(root.attributes['avatar_adam.session_id']).toBe(started.sessionId);
    // agents-js's job_entrypoint span opens before our code runs; the root links to it.
    const entrypoint = receiver.spans.find((s) => s.name === 'job_entrypoint' && s.spanId === root.links[0]?.spanId);
    expect(entrypoint).toBeDefined();

    const names = new Set(agentSpans.map((s) => s.name));
    for (const name of ['agent_session', 'user_turn', 'agent_turn', 'llm_node', 'tts_node']) expect(names).toContain(name);
    for (const name of ['session.load', 'knowledge.retrieve', 'session.end']) expect(names).toContain(name);
    expect(byName('session.load')[0]!.parentSpanId).toBe(root.spanId);
    expect(byName('agent_session')[0]!.parentSpanId).toBe(root.spanId);
    // Ended from the room's "participant left" event, outside the job's async context: still here.
    expect(byName('session.end')[0]!.parentSpanId).toBe(root.spanId);
    expect(byName('session.end')[0]!.attributes['avatar_adam.end_reason']).toBe('trainee_left');
    expect(byName('knowledge.retrieve')[0]!.attributes['avatar_adam.dealership_id']).toBe(stack.seeded.dealershipId);

    // Scoring runs in the job worker, from the job the session's end stored with its trace context.
    const score = await waitFor(
      'the scoring span from the job worker',
      async () => receiver.spans.find((s) => s.name === 'session.score' && s.traceId === web!.traceId),
      Boolean,
      30_000,
    );
    expect(score!.service).toBe('avatar-adam-jobs');
    expect(score!.parentSpanId).toBe(byName('session.end')[0]!.spanId);

    // The worker supervisor traces its maintenance passes (the reaper), each a trace of its own.
    const reap = await waitFor(
      'a maintenance pass span from the supervisor',
      async () => receiver.spans.find((s) => s.name === 'maintenance.reap' && s.service === 'avatar-adam-agent'),
      Boolean,
      20_000,
    );
    expect(reap!.traceId).not.toBe(web!.traceId);
    expect(reap!.attributes['avatar_adam.sessions_reaped']).toBeTypeOf('number');

    // What the trainee said stays in our database: no conversational attribute was exported.
    const keys = agentSpans.flatMap((s) => Object.keys(s.attributes));
    expect(keys.filter((k) => k.includes('.pii.'))).toEqual([]);
    expect(JSON.stringify(agentSpans)).not.toMatch(/GAP insurance cover/i);
  });
});

type TReceivedSpan = {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
};
type TOtlpReceiver = { url: string; spans: TReceivedSpan[]; close: () => Promise<void> };

/** OTLP/JSON (what @opentelemetry/exporter-trace-otlp-http sends): ids are hex, values are typed. */
type TKeyValue = { key: string; value: Record<string, unknown> };
type TExportRequest = {
  resourceSpans?: {
    resource?: { attributes?: TKeyValue[] };
    scopeSpans?: { spans?: (Omit<TReceivedSpan, 'service' | 'attributes'> & { attributes?: TKeyValue[] })[] }[];
  }[];
};

/** A collector's OTLP/HTTP trace endpoint (`POST /v1/traces`), keeping every span it receives. */
async function startOtlpReceiver(): Promise<TOtlpReceiver> {
  const spans: TReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      spans.push(...spansOf(JSON.parse(body.toString('utf8')) as TExportRequest));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function spansOf(request: TExportRequest): TReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const service = String(attributesOf(rs.resource?.attributes)['service.name']);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({ ...span, service, attributes: attributesOf(span.attributes), links: span.links ?? [] })),
    );
  });
}

function attributesOf(list: TKeyValue[] = []): Record<string, unknown> {
  // Each OTLP AnyValue has exactly one of stringValue, intValue, boolValue, doubleValue, arrayValue…
  return Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));
}
