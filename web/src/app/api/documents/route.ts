import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { NextRequest } from 'next/server';
import { isServerError, toTRPCError, userMessageOf } from '@/server/api/errors';
import { createDocumentUploadCaller } from '@/server/api/routers/document-upload';
import { createTRPCContext } from '@/server/api/trpc';
import { getDb } from '@/server/db';
import { liveKitUnusedBy } from '@/server/livekit-unused';
import { logger, requestIdFrom } from '@/server/logger';
import { isAppError } from '@avatar-adam/db';
import { getUploadLimiter, uploadLimitMessage } from '@/server/auth/upload-limiter';
import { getRequestSession } from '../request-session';
import { readUploadForm, UploadRefused } from './read-upload';

/**
 * POST /api/documents — a manager uploads one file (multipart field `file`, optional `title`).
 * 201 with the queued document; otherwise a status and `{ userMessage }`. Who may upload is decided
 * by the upload procedures (managerProcedure) before the body is read, then the dealership's upload
 * allowance (429 past 30 per 10 minutes); the bytes are read with a size cap and handed to the same
 * procedures.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  const session = await getRequestSession(request);
  const log = logger.child({ requestId, userId: session?.user.id, route: 'documents.upload' });
  try {
    const { db } = await getDb();
    const caller = createDocumentUploadCaller(createTRPCContext({ db, session, livekit: noLiveKit, logger: log }));
    const { maxBytes } = await caller.limits();
    // Counted once the caller is known to be a manager, before the body is read: a flood of
    // uploads costs neither bandwidth nor storage. Per dealership, shared by its managers.
    const slot = await getUploadLimiter().take(session?.user.dealershipId ?? `user:${session?.user.id}`);
    if (!slot.allowed) throw new UploadRefused(429, uploadLimitMessage(slot.retryAfterMs));
    const form = await readUploadForm(request, maxBytes);
    const file = form.get('file');
    if (!(file instanceof File)) throw new UploadRefused(400, 'Choose a file to upload.');
    const title = form.get('title');
    const document = await caller.upload({
      filename: file.name,
      title: typeof title === 'string' && title.trim() ? title : undefined,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return Response.json({ document }, { status: 201 });
  } catch (error) {
    if (error instanceof UploadRefused) return Response.json({ userMessage: error.userMessage }, { status: error.status });
    const trpcError = error instanceof TRPCError ? error : isAppError(error) ? toTRPCError(error) : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
    if (isServerError(trpcError.code)) log.error({ err: trpcError.cause ?? trpcError }, 'document upload failed');
    else log.info({ code: trpcError.code, reason: trpcError.message }, 'document upload refused');
    return Response.json({ userMessage: userMessageOf(trpcError) }, { status: getHTTPStatusCodeFromError(trpcError) });
  }
}

const noLiveKit = liveKitUnusedBy('a document upload');
