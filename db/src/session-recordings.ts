import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { practiceSessions, sessionRecordings } from './schema';

/** What the agent records: Ogg Opus, the trainee on the left channel and the agent on the right. */
export const SESSION_RECORDING_MIME = 'audio/ogg';
/**
 * The recorder encodes stereo Opus at ffmpeg's default 96 kbit/s, ~43 MB an hour; the longest
 * session the agent allows (AGENT_MAX_SESSION_MINUTES, at most 4 h) stays under this.
 */
export const MAX_SESSION_RECORDING_BYTES = 200 * 1024 * 1024;
const OGG_MAGIC = Buffer.from('OggS');

export type TSessionRecordingInfo = { id: string; mime: string; sizeBytes: number; durationMs: number; startedAt: Date };

/**
 * Stores the audio of (part of) a session. The session must be the dealership's; the bytes must be
 * an Ogg stream of a sane size. Refused otherwise, with nothing stored.
 */
export async function saveSessionRecording(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
  content: Buffer;
  durationMs: number;
  startedAt: Date;
}): Promise<TSessionRecordingInfo> {
  const { db, content } = opts;
  if (content.length === 0 || !content.subarray(0, 4).equals(OGG_MAGIC)) {
    throw new AppError('BAD_REQUEST', { message: `session ${opts.sessionId}: recording is not an Ogg stream (${content.length} bytes)` });
  }
  if (content.length > MAX_SESSION_RECORDING_BYTES) {
    throw new AppError('BAD_REQUEST', { message: `session ${opts.sessionId}: recording of ${content.length} bytes is over the limit` });
  }
  if (!Number.isFinite(opts.durationMs) || opts.durationMs <= 0) {
    throw new AppError('BAD_REQUEST', { message: `session ${opts.sessionId}: recording duration ${opts.durationMs} ms` });
  }
  const [session] = await db
    .select({ id: practiceSessions.id })
    .from(practiceSessions)
    .where(and(eq(practiceSessions.id, opts.sessionId), eq(practiceSessions.dealershipId, opts.dealershipId)));
  if (!session) throw new AppError('NOT_FOUND', { message: `session ${opts.sessionId} not found for dealership ${opts.dealershipId}` });
  const [row] = await db
    .insert(sessionRecordings)
    .values({
      sessionId: opts.sessionId,
      dealershipId: opts.dealershipId,
      mime: SESSION_RECORDING_MIME,
      sizeBytes: content.length,
      durationMs: Math.round(opts.durationMs),
      startedAt: opts.startedAt,
      content,
    })
    .returning(infoColumns);
  return row!;
}

const infoColumns = {
  id: sessionRecordings.id,
  mime: sessionRecordings.mime,
  sizeBytes: sessionRecordings.sizeBytes,
  durationMs: sessionRecordings.durationMs,
  startedAt: sessionRecordings.startedAt,
};

/** The recorded parts of a session, in the order they were spoken; the audio itself is not read. */
export async function listSessionRecordings(opts: { db: Db; sessionId: string; dealershipId: string }): Promise<TSessionRecordingInfo[]> {
  return opts.db
    .select(infoColumns)
    .from(sessionRecordings)
    .where(and(eq(sessionRecordings.sessionId, opts.sessionId), eq(sessionRecordings.dealershipId, opts.dealershipId)))
    .orderBy(asc(sessionRecordings.startedAt));
}

/**
 * One recorded part with its audio (or the bytes `range` asks for, read by Postgres alone: a
 * player seeking through an hour of audio does not load all of it), or null when the part is not
 * this session's of this dealership. A range past the end gives fewer bytes, or none.
 */
export async function getSessionRecordingAudio(opts: {
  db: Db;
  recordingId: string;
  sessionId: string;
  dealershipId: string;
  /** Inclusive byte offsets, as in an HTTP Range header. */
  range?: { start: number; end: number };
}): Promise<(TSessionRecordingInfo & { content: Buffer }) | null> {
  const { range } = opts;
  if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
    throw new AppError('BAD_REQUEST', { message: `bad byte range ${range.start}-${range.end}` });
  }
  const content = range
    ? sql<Buffer>`substring(${sessionRecordings.content} from ${range.start + 1} for ${range.end - range.start + 1})`.mapWith(sessionRecordings.content)
    : sessionRecordings.content;
  const [row] = await opts.db
    .select({ ...infoColumns, content })
    .from(sessionRecordings)
    .where(
      and(
        eq(sessionRecordings.id, opts.recordingId),
        eq(sessionRecordings.sessionId, opts.sessionId),
        eq(sessionRecordings.dealershipId, opts.dealershipId),
      ),
    );
  return row ?? null;
}
