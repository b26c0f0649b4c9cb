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
      const level = isServerError(error.code) ? 'error' : 'info';
      logger[level]({ requestId, path, code: error.code, err: error.cause ?? error }, 'trpc error');
    },
  });
}

export { handler as GET, handler as POST };
