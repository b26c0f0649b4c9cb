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
