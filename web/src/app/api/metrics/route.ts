import { timingSafeEqual } from 'node:crypto';
import { env } from '@/env';
import { webMetrics } from '@/server/metrics';

/**
 * Prometheus scrape endpoint. With METRICS_TOKEN set, the scraper must send it as a bearer token;
 * without it the endpoint is open, for a private network where only Prometheus reaches the app.
 */
export async function GET(req: Request): Promise<Response> {
  if (env.METRICS_TOKEN && !bearerMatches(req.headers.get('authorization'), env.METRICS_TOKEN)) {
    return new Response('metrics need the bearer token in METRICS_TOKEN\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }
  const { registry } = webMetrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const dynamic = 'force-dynamic';
