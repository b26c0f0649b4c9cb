import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Db, type TSessionRecordingInfo, saveSessionRecording } from '@avatar-adam/db';
import type { log } from '@livekit/agents';

type Logger = ReturnType<typeof log>;

/**
 * agents-js's own session recorder (RecorderIO: the trainee on the left channel, the agent on
 * the right, as heard and as played, encoded to Ogg Opus by its bundled ffmpeg) — audio only:
 * traces, logs and transcripts have their own homes here.
 */
export function recordingOptions(enabled: boolean) {
  return enabled ? { audio: true, traces: false, logs: false, transcript: false } : false;
}

/** Where RecorderIO writes a job's audio (AgentSession.start: `${ctx.sessionDirectory}/audio.ogg`). */
export const recordingPath = (sessionDirectory: string) => path.join(sessionDirectory, 'audio.ogg');

const OGG_PAGE = Buffer.from('OggS');
const OPUS_HEAD = Buffer.from('OpusHead');
/** Opus granule positions always count 48 kHz samples, whatever the input rate. */
const OPUS_GRANULE_RATE = 48_000;

/**
 * Length of an Ogg Opus stream in milliseconds: the last page's granule position less the
 * encoder's pre-skip (RFC 7845). Written here because it is two fields of the file; a media
 * parser library would read and allocate the whole stream for them. Null when it is not Opus.
 */
export function oggOpusDurationMs(bytes: Buffer): number | null {
  const head = bytes.indexOf(OPUS_HEAD);
  const lastPage = bytes.lastIndexOf(OGG_PAGE);
  if (head < 0 || lastPage < 0 || head + 12 > bytes.length || lastPage + 14 > bytes.length) return null;
  const preSkip = bytes.readUInt16LE(head + 10);
  const granule = bytes.readBigInt64LE(lastPage + 6);
  if (granule <= 0n) return null;
  return (Number(granule) - preSkip) / (OPUS_GRANULE_RATE / 1000);
}

/**
 * After the voice session has closed (closing it closes the recorder, which finishes the file):
 * stores the recording with the session, then removes the job's copy. A session with no audio
 * (the trainee left at once) stores nothing. Never throws: the session's outcome does not depend
 * on its audio, so a failure is logged and the file is still removed.
 */
export async function storeSessionAudio(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
  sessionDirectory: string;
  startedAt: Date;
  logger: Logger;
}): Promise<TSessionRecordingInfo | null> {
  const file = recordingPath(opts.sessionDirectory);
  try {
    const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (!content) return null;
    const durationMs = oggOpusDurationMs(content);
    if (durationMs === null || durationMs <= 0) {
      opts.logger.warn({ bytes: content.length }, 'session recording has no audio; not stored');
      return null;
    }
    const saved = await saveSessionRecording({ ...opts, content, durationMs });
    opts.logger.info({ recordingId: saved.id, bytes: saved.sizeBytes, durationMs: saved.durationMs }, 'session audio stored');
    return saved;
  } catch (error) {
    opts.logger.error({ error }, 'could not store the session audio');
    return null;
  } finally {
    await rm(opts.sessionDirectory, { recursive: true, force: true }).catch(() => {});
  }
}
