import { handleTrpcRequest } from '@/server/request-context';

/** The tRPC HTTP API; request ids, logging and errors are handled in `handleTrpcRequest`. */
function handler(req: Request) {
  return handleTrpcRequest(req);
}

export { handler as GET, handler as POST };
