import { SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { isServerError } from './api/errors';

/** A no-op until `startWebTracing` (instrumentation.ts) installs a provider. */
const tracer = trace.getTracer('avatar-adam-web');

type TProcedureResult = { ok: true } | { ok: false; error: { code: TRPC_ERROR_CODE_KEY } };

/**
 * Runs one tRPC call inside a span `trpc <path>`: the procedure, how it ended and the caller's
 * dealership — identifiers only, never the caller's name, email or input. The span is active while
 * the procedure runs, so what it starts (the agent dispatched by `session.start`) joins its trace.
 */
export function traceProcedure<T extends TProcedureResult>(
  call: { path: string; type: string; dealershipId?: string | null },
  run: () => Promise<T>,
): Promise<T> {
  const attributes = {
    'rpc.system': 'trpc',
    'rpc.method': call.path,
    'trpc.type': call.type,
    ...(call.dealershipId ? { 'avatar_adam.dealership_id': call.dealershipId } : {}),
  };
  return tracer.startActiveSpan(`trpc ${call.path}`, { attributes }, async (span) => {
    try {
      const result = await run();
      const outcome = result.ok ? 'ok' : isServerError(result.error.code) ? 'server_error' : 'refused';
      span.setAttribute('avatar_adam.outcome', outcome);
      if (!result.ok) {
        span.setAttribute('error.type', result.error.code);
        // Refusals (bad input, not allowed) are the procedure working; only server faults are errors.
        if (outcome === 'server_error') span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return result;
    } finally {
      span.end();
    }
  });
}

/** W3C trace context fields handed to another process (the agent's dispatch metadata). */
export type TTraceCarrier = { traceparent?: string; tracestate?: string };

/**
 * The current span as W3C `traceparent` (and `tracestate`), for a process that cannot receive
 * HTTP headers from us. Empty when tracing is off or nothing is being traced.
 */
export function currentTraceCarrier(): TTraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const out: TTraceCarrier = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}
