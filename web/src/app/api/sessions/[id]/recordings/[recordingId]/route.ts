import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { NextRequest } from 'next/server';
import parseRange from 'range-parser';
import { isAppError } from '@avatar-adam/db';
import { isServerError, toTRPCError, userMessageOf } from '@/server/api/errors';
import { createSessionRecordingCaller } from '@/server/api/routers/session-recording';
import { createTRPCContext } from '@/server/api/trpc';
import { getDb } from '@/server/db';
import { liveKitUnusedBy } from '@/server/livekit-unused';
import { logger, requestIdFrom } from '@/server/logger';
import { getRequestSession } from '../../../../request-session';

const noLiveKit = liveKitUnusedBy('session audio');

/**
 * `GET /api/sessions/:id/recordings/:recordingId` — a session's audio for the history page's player.
 * Answers byte ranges (206), as players seek with them; only the bytes asked for are read from the
 * database. Who may listen is decided by the recording procedures (the trainee, or a manager of
 * their dealership); anyone else gets the same 404 as for a recording that does not exist.
 */
export async function GET(request: NextRequest, props: { params: Promise<{ id: string; recordingId: string }> }): Promise<Response> {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  const { id: sessionId, recordingId } = await props.params;
  const session = await getRequestSession(request);
  const log = logger.child({ requestId, userId: session?.user.id, route: 'sessions.recording', sessionId, recordingId });
  try {
    const { db } = await getDb();
    const caller = createSessionRecordingCaller(createTRPCContext({ db, session, livekit: noLiveKit, logger, requestId }));
    const info = await caller.info({ sessionId, recordingId });
    const headers = {
      'content-type': info.mime,
      'accept-ranges': 'bytes',
      'content-disposition': `inline; filename="practice-session-${info.sessionStartedAt.toISOString().slice(0, 10)}.ogg"`,
      // The audio of a part never changes; only its viewer may keep it.
      'cache-control': 'private, max-age=3600',
      'x-request-id': requestId,
    };
    const rangeHeader = request.headers.get('range');
    const ranges = rangeHeader ? parseRange(info.sizeBytes, rangeHeader, { combine: true }) : -2;
    if (ranges === -1) {
      return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${info.sizeBytes}` } });
    }
    // No header, a malformed one, or several ranges at once (no player asks for that): the whole file.
    if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) {
      const { content } = await caller.audio({ sessionId, recordingId });
      return new Response(new Uint8Array(content), { status: 200, headers: { ...headers, 'content-length': String(content.length) } });
    }
    const { start, end } = ranges[0]!;
    const { content } = await caller.audio({ sessionId, recordingId, range: { start, end } });
    return new Response(new Uint8Array(content), {
      status: 206,
      headers: { ...headers, 'content-length': String(content.length), 'content-range': `bytes ${start}-${start + content.length - 1}/${info.sizeBytes}` },
    });
  } catch (error) {
    const trpcError = error instanceof TRPCError ? error : isAppError(error) ? toTRPCError(error) : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
    if (isServerError(trpcError.code)) log.error({ err: trpcError.cause ?? trpcError }, 'session audio failed');
    return new Response(`${userMessageOf(trpcError)}\n`, {
      status: getHTTPStatusCodeFromError(trpcError),
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId },
    });
  }
}
