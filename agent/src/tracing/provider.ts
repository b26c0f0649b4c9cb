import { telemetry } from '@livekit/agents';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The job process's span pipeline; `flush` sends what is buffered before the process exits. */
export type TAgentTracing = { flush: () => Promise<void>; shutdown: () => Promise<void> };

export const AGENT_SERVICE_NAME = 'avatar-adam-agent';

/**
 * Sends this job process's spans — ours and agents-js's own per-turn spans (user_turn,
 * agent_turn, llm_node, tts_node…) — to an OTLP/HTTP collector (JSON, `<endpoint>/v1/traces`).
 * Called only when an endpoint is configured: without one nothing is registered and every span
 * is the OpenTelemetry API's no-op.
 */
export function registerAgentTracing(opts: { endpoint: string; serviceName?: string }): TAgentTracing {
  const exporter = new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, '')}/v1/traces` });
  // OpenTelemetry 2.x providers take their processors at construction; agents-js adds its own
  // (PII filtering) later through this fan-out.
  const fanout = new telemetry.FanoutSpanProcessor();
  const provider = new NodeTracerProvider({
    // OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, when an operator sets them, win over ours.
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName ?? AGENT_SERVICE_NAME }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [fanout, new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  // Global registration brings the AsyncLocalStorage context manager (spans nest across awaits)
  // and the W3C propagator the dispatch's traceparent is read with.
  provider.register();
  telemetry.setTracerProvider(provider, {
    registerSpanProcessor: (processor) => fanout.add(processor),
    // Transcripts, prompts and tool arguments (`lk.pii.*` attributes) are trainees' words: they
    // stay in our database, never in a tracing backend.
    allowPii: false,
  });
  return {
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
