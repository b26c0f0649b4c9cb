import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { env } from '@/env';

/**
 * JSON logs for the web process. Request-scoped fields (requestId, userId, sessionId) are added
 * with `logger.child(...)` where they are known; personal data only under clearly named keys.
 */
export const logger: Logger = pino({
  name: 'web',
  level: env.LOG_LEVEL ?? 'info',
  base: { service: 'web' },
});

/** What an `x-request-id` from a proxy may look like to be kept: a log field, never a log injection. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The id of one request, on every log line of it and returned as `x-request-id`: the caller's
 * (a load balancer or proxy that already tagged the request) when it is sane, else a new one.
 */
export function requestIdFrom(header: string | null | undefined): string {
  return header && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}
