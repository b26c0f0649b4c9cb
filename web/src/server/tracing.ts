import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export const WEB_SERVICE_NAME = 'avatar-adam-web';

/** The server's span pipeline; `shutdown` sends what is still buffered. */
export type TWebTracing = { flush: () => Promise<void>; shutdown: () => Promise<void> };

/**
 * Sends the web server's spans — Next.js's own (one per request) and ours (one per tRPC
 * procedure) — to an OTLP/HTTP collector as JSON (`<endpoint>/v1/traces`). A trace-only
 * NodeTracerProvider rather than the full NodeSDK: we want spans, not the SDK's metric and log
 * pipelines or auto-instrumentation. Registering it globally installs the AsyncLocalStorage context
 * manager and the W3C propagator that `session.start` writes the agent's traceparent with.
 */
export function startWebTracing(opts: { endpoint: string; serviceName?: string }): TWebTracing {
  const exporter = new OTLPTraceExporter({ url: `${opts.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    // OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, when an operator sets them, win over ours.
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName ?? WEB_SERVICE_NAME }))
      .merge(detectResources({ detectors: [envDetector] })),
    // A short batch delay: a server stopped by its orchestrator loses at most a second of spans.
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  return { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}
