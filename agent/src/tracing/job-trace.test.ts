import type { JobContext } from '@livekit/agents';
import { ROOT_CONTEXT, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parentContextFromMetadata, runInJobTrace, traceStep } from './job-trace';

// A real provider (in-memory exporter) registered the way registerAgentTracing does it: globally,
// with the AsyncLocalStorage context manager and the W3C propagator.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

beforeEach(() => exporter.reset());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const WEB_SPAN_ID = '00f067aa0ba902b7';
const dispatch = (extra: object) =>
  JSON.stringify({ sessionId: 'a1e7c1c8-8d3e-4a55-b2c9-0f4f2b3c1d11', mode: 'coach', ...extra });

describe('parentContextFromMetadata', () => {
  it('reads the web request span from the dispatch traceparent', () => {
    const parent = trace.getSpanContext(parentContextFromMetadata(dispatch({ traceparent: `00-${TRACE_ID}-${WEB_SPAN_ID}-01` })));
    expect(parent).toMatchObject({ traceId: TRACE_ID, spanId: WEB_SPAN_ID, isRemote: true });
  });

  it.each([
    ['no traceparent (tracing off on the web, or a phone call)', dispatch({})],
    ['a malformed traceparent', dispatch({ traceparent: '00-nothex-00f067aa0ba902b7-01' })],
    ['a traceparent that is not a string', dispatch({ traceparent: 42 })],
    ['metadata that is not JSON', 'not json'],
  ])('starts a trace of its own on %s', (_case, raw) => {
    expect(trace.getSpanContext(parentContextFromMetadata(raw))).toBeUndefined();
  });
});

describe('a job under runInJobTrace', () => {
  it('is one trace with the web request: root span, steps inside it and steps run from room events', async () => {
    const shutdownCallbacks: Array<() => Promise<void>> = [];
    let flushed = 0;
    const ctx = {
      job: { id: 'AJ_test', metadata: dispatch({ traceparent: `00-${TRACE_ID}-${WEB_SPAN_ID}-01` }) },
      addShutdownCallback: (cb: () => Promise<void>) => shutdownCallbacks.push(cb),
    } as unknown as JobContext;

    await runInJobTrace(ctx, { flush: async () => void flushed++, shutdown: async () => {} }, async () => {
      await traceStep('session.load', { 'avatar_adam.session_id': 's1' }, async () => 'loaded');
    });
    // A room event (the trainee leaving) runs outside the job's async context.
    await context.with(ROOT_CONTEXT, () => traceStep('session.end', {}, async () => undefined));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['session.load', 'session.end']);

    await Promise.all(shutdownCallbacks.map((cb) => cb()));
    expect(flushed).toBe(1);
    const spans = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s]));
    const root = spans['avatar_adam.job']!;
    expect(root.spanContext().traceId).toBe(TRACE_ID);
    expect(root.parentSpanContext?.spanId).toBe(WEB_SPAN_ID);
    expect(root.attributes['lk.job_id']).toBe('AJ_test');
    for (const step of ['session.load', 'session.end']) {
      expect(spans[step]!.spanContext().traceId).toBe(TRACE_ID);
      expect(spans[step]!.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    }
  });

  it('marks a failed step with the error code only and passes the error on', async () => {
    const failure = Object.assign(new Error('session 123 of trainee jane@example.com not found'), { code: 'NOT_FOUND' });
    await expect(traceStep('session.load', {}, async () => Promise.reject(failure))).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('NOT_FOUND');
    expect(JSON.stringify(span?.events)).not.toContain('jane@example.com');
  });
});
