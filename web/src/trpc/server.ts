import { randomUUID } from 'node:crypto';
import { createCaller } from '@/server/api/root';
import { createRequestContext } from '@/server/request-context';

/**
 * For server components: the same procedures (and the same auth guards) as the HTTP API, called
 * in-process without a round trip.
 */
export async function getServerCaller() {
  return createCaller(await createRequestContext({ requestId: randomUUID() }));
}
