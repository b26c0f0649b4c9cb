import type { JobContext } from '@livekit/agents';
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { TAgentTracing } from './provider';

/** A no-op until `registerAgentTracing` installs a provider in this process. */
const tracer = trace.getTracer('avatar-adam-agent');

/** Our span attributes: identifiers only, never names, numbers dialled or what anyone said. */
export const ATTR = {
  sessionId: 'avatar_adam.session_id',
  dealershipId: 'avatar_adam.dealership_id',
  mode: 'avatar_adam.mode',
  channel: 'avatar_adam.channel',
  /** A maintenance pass of the worker supervisor: abandoned sessions it marked failed. */
  sessionsReaped: 'avatar_adam.sessions_reaped',
} as const;

/*
 * A job process runs exactly one job (agents-js starts a fresh process for the next), so the job's
 * root span is process state. Room and voice-session events (the trainee leaving, which ends the
 * session) run outside the job's async context; steps started from them are parented here.
 */
let job: { span: Span; context: Context } | undefined;

/**
 * The trace the web app's `session.start` was in, from the W3C `traceparent`/`tracestate` it put in
 * the dispatch metadata. No (or a malformed) traceparent → the root context: the job starts a trace
 * of its own (phone calls always do: their dispatch is fixed when the line is provisioned).
 */
export function parentContextFromMetadata(raw: string): Context {
  const carrier: Record<string, string> = {};
  try {
    const json: unknown = JSON.parse(raw);
    if (json && typeof json === 'object') {
      for (const key of ['traceparent', 'tracestate']) {
        const value = (json as Record<string, unknown>)[key];
        if (typeof value === 'string') carrier[key] = value;
      }
    }
  } catch {
    // Not JSON: the job's metadata parser reports that; the trace just has no parent.
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * Runs the job under one root span, a child of the web request's trace. agents-js has already
 * opened its `job_entrypoint` span (in no trace of ours), so the root links to it; every span the
 * voice session opens from here (agent_session and its turns) nests under the root. The root ends,
 * and the buffered spans are sent, when the job shuts down.
 */
export async function runInJobTrace(ctx: JobContext, tracing: TAgentTracing | undefined, run: () => Promise<void>): Promise<void> {
  const entrypoint = trace.getSpanContext(context.active());
  const span = tracer.startSpan(
    'avatar_adam.job',
    { attributes: { 'lk.job_id': ctx.job.id }, links: entrypoint ? [{ context: entrypoint }] : [] },
    parentContextFromMetadata(ctx.job.metadata),
  );
  const root = trace.setSpan(context.active(), span);
  job = { span, context: root };
  ctx.addShutdownCallback(async () => {
    span.end();
    await tracing?.flush();
  });
  return context.with(root, async () => {
    try {
      await run();
    } catch (error) {
      markFailed(span, error);
      throw error;
    }
  });
}

/** Adds what the job learnt (its session, dealership, mode) to the job's root span. */
export function annotateJob(attributes: Attributes): void {
  job?.span.setAttributes(attributes);
}

/**
 * One of our own steps (session load, retrieval, scoring) as a span under the current one — or
 * under the job's root when the step runs from a room event. Failures mark the span with the
 * error's type only: messages can carry data that belongs in our logs, not a tracing backend.
 */
export function traceStep<T>(name: string, attributes: Attributes, run: (span: Span) => Promise<T>): Promise<T> {
  const active = context.active();
  const parent = trace.getSpan(active) ? active : (job?.context ?? active);
  return tracer.startActiveSpan(name, { attributes }, parent, async (span) => {
    try {
      return await run(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function markFailed(span: Span, error: unknown): void {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
  span.setAttribute('error.type', code ?? (error instanceof Error ? error.name : 'unknown'));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/**
 * The current trace context as W3C headers, for work this process hands to another (the scoring
 * job). Code run from room events has no active span: the job's root stands in. Without tracing
 * both fields are undefined and nothing is carried.
 */
export function currentTraceCarrier(): { traceparent?: string; tracestate?: string } {
  const active = context.active();
  const carrier: Record<string, string> = {};
  propagation.inject(trace.getSpan(active) || !job ? active : job.context, carrier);
  return { traceparent: carrier.traceparent, tracestate: carrier.tracestate };
}
