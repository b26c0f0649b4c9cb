import type { TCitation } from '@avatar-adam/db';
import { z } from 'zod';

/**
 * What the web app puts in the agent dispatch (`RoomAgentDispatch.metadata`) when it creates a
 * practice room. The agent trusts none of it beyond shape: the session is loaded again from the
 * database and must belong to `dealershipId`.
 */
export const ZJobMetadata = z.object({
  sessionId: z.uuid(),
  mode: z.enum(['coach', 'roleplay']),
  scenarioId: z.uuid(),
  dealershipId: z.uuid(),
  /** The web request that started the session, for its log lines; a malformed one is dropped, never fatal. */
  requestId: z.string().regex(/^[\w.:-]{1,128}$/).optional().catch(undefined),
});

export type TJobMetadata = z.infer<typeof ZJobMetadata>;

/**
 * What a dealership's SIP dispatch rule puts in the dispatch of each call (set when the line is
 * provisioned): which practice line was dialled. The caller is identified by the agent.
 */
export const ZPhoneJobMetadata = z.object({ kind: z.literal('phone'), phoneLineId: z.uuid() });
export type TPhoneJobMetadata = z.infer<typeof ZPhoneJobMetadata>;

/** True when the raw dispatch metadata is a phone call's (anything else is a web session's). */
export function parsePhoneJobMetadata(raw: string): TPhoneJobMetadata | null {
  try {
    const parsed = ZPhoneJobMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type TMetadataResult =
  | { ok: true; metadata: TJobMetadata }
  | { ok: false; error: string; fields: Record<string, string[]> };

/** Parses the raw dispatch metadata string; never throws. */
export function parseJobMetadata(raw: string): TMetadataResult {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'job metadata is not JSON', fields: {} };
  }
  const parsed = ZJobMetadata.safeParse(json);
  if (parsed.success) return { ok: true, metadata: parsed.data };
  const { formErrors, fieldErrors } = z.flattenError(parsed.error);
  return {
    ok: false,
    error: 'job metadata does not match { sessionId, mode, scenarioId, dealershipId }',
    fields: formErrors.length ? { ...fieldErrors, _root: formErrors } : fieldErrors,
  };
}

/** Per-session state every agent and tool of the session can read (`session.userData`). */
export type TSessionData = TJobMetadata & {
  roomName: string;
  /** Sources of the reply being generated (coach retrieval); the recorder stores them with it. */
  pendingCitations: TCitation[];
};
