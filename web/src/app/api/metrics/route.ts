import { timingSafeEqual } from 'node:crypto';
import { env } from '@/env';
import { getJobQueueDepth } from '@avatar-adam/db/job-queue-health';
import { getDb } from '@/server/db';
import { logger } from '@/server/logger';
import { recordJobQueueDepth, webMetrics } from '@/server/metrics';

/**
 * Prometheus scrape endpoint. With METRICS_TOKEN set, the scraper must send it as a bearer token;
 * without it the endpoint is open, for a private network where only Prometheus reaches the app.
 */
export async function GET(req: Request): Promise<Response> {
  if (env.METRICS_TOKEN && !bearerMatches(req.headers.get('authorization'), env.METRICS_TOKEN)) {
    return new Response('metrics need the bearer token in METRICS_TOKEN\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  }
  // Queue gauges are read at scrape time (one grouped count); when the database is away they
  // keep their last values and the scrape still answers with everything else.
  try {
    recordJobQueueDepth(await getJobQueueDepth({ db: (await getDb()).db }));
  } catch (error) {
    logger.warn({ err: error }, 'queue depth could not be read for /api/metrics');
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
