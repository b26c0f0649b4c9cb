import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { isServerError, userMessageOf } from '@/server/api/errors';
import { ZAnalyticsExportInput } from '@/server/api/routers/analytics';
import { logger, requestIdFrom } from '@/server/logger';
import { getServerCaller } from '@/trpc/server';

/**
 * `GET /api/analytics/export?series=…&from=YYYY-MM-DD&to=YYYY-MM-DD[&traineeId=…]`: one analytics
 * series as a CSV download. A plain link can point here (no script needed to save a file); who may
 * download what is decided by the `analytics.exportCsv` procedure it calls, never here.
 */
export async function GET(req: Request) {
  const requestId = requestIdFrom(req.headers.get('x-request-id'));
  const params = new URL(req.url).searchParams;
  const parsed = ZAnalyticsExportInput.safeParse({
    series: params.get('series'),
    from: params.get('from'),
    to: params.get('to'),
    traineeId: params.get('traineeId') || undefined,
  });
  if (!parsed.success) return text(400, 'That download link is incomplete. Pick the dates again and retry.');
  try {
    const { filename, csv } = await (await getServerCaller()).analytics.exportCsv(parsed.data);
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        // The name is built from validated parts only (series, dates), so it needs no escaping.
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (isServerError(error.code)) logger.error({ requestId, err: error.cause ?? error, series: parsed.data.series }, 'analytics export failed');
    return text(getHTTPStatusCodeFromError(error), userMessageOf(error));
  }
}

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}
