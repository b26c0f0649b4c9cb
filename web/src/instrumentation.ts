/**
 * Runs once when the server starts: loading the env module validates the configuration, so a
 * production server with a missing secret fails at boot instead of on its first request. With
 * OTEL_EXPORTER_OTLP_ENDPOINT set it also starts tracing; without it no exporter is loaded and
 * every span is the OpenTelemetry API's no-op.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('./env');
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const { startWebTracing } = await import('./server/tracing');
  startWebTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
}
