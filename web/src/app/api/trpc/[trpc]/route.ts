import { randomUUID } from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/api/root';
import { isServerError } from '@/server/api/errors';
import { logger } from '@/server/logger';
import { createRequestContext } from '@/server/request-context';

function handler(req: Request) {
  const requestId = req.headers.get('x-request-id') ?? randomUUID();
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createRequestContext({ requestId }),
    onError({ error, path }) {
      // Client mistakes (bad input, not signed in) are expected; failures on our side are not.
      // A stack trace only for those: a signed-out request is one line, not forty.
      if (isServerError(error.code)) {
        logger.error({ requestId, path, code: error.code, err: error.cause ?? error }, 'trpc error');
      } else {
        logger.info({ requestId, path, code: error.code, reason: error.message }, 'trpc request refused');
      }
    },
  });
}

export { handler as GET, handler as POST };
