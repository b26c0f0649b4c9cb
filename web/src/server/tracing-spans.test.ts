import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { currentTraceCarrier, traceProcedure } from './tracing-spans';

// A real provider with an in-memory exporter: the spans asserted on are the ones an operator's
// collector would receive.
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

const call = { path: 'session.start', type: 'mutation', dealershipId: '6f1c0a52-3a55-4c39-9a39-2f1f2f0b7d11' };

describe('traceProcedure', () => {
  it('records one span per call with the procedure, outcome and dealership', async () => {
    await traceProcedure(call, async () => ({ ok: true as const }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('trpc session.start');
    expect(span?.attributes).toEqual({
      'rpc.system': 'trpc',
      'rpc.method': 'session.start',
      'trpc.type': 'mutation',
      'avatar_adam.dealership_id': call.dealershipId,
      'avatar_adam.outcome': 'ok',
    });
  });

  it('marks a refusal by its code without flagging the span as a fault', async () => {
    await traceProcedure({ ...call, dealershipId: null }, async () => ({ ok: false as const, error: { code: 'FORBIDDEN' as const } }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['avatar_adam.outcome']).toBe('refused');
    expect(span?.attributes['error.type']).toBe('FORBIDDEN');
    expect(span?.attributes['avatar_adam.dealership_id']).toBeUndefined();
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('flags a server fault as an error', async () => {
    await traceProcedure(call, async () => ({ ok: false as const, error: { code: 'INTERNAL_SERVER_ERROR' as const } }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['avatar_adam.outcome']).toBe('server_error');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('currentTraceCarrier', () => {
  it('is the procedure span as a W3C traceparent while the procedure runs', async () => {
    let carrier = {};
    await traceProcedure(call, async () => {
      carrier = currentTraceCarrier();
      return { ok: true as const };
    });
    const [span] = exporter.getFinishedSpans();
    const { traceId, spanId } = span!.spanContext();
    expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('is empty outside any span', () => {
    expect(currentTraceCarrier()).toEqual({});
  });
});
