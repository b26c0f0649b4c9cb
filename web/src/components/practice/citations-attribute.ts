import type { TCitation } from '@avatar-adam/db';
import { z } from 'zod';

/** The agent participant attribute holding the sources of the answer being spoken. */
export const CITATIONS_ATTRIBUTE = 'adam.citations';

const ZCitations = z.array(
  z.object({
    documentId: z.string().min(1),
    chunkId: z.string().min(1),
    title: z.string(),
    heading: z.string().optional(),
  }),
);

/**
 * The citations in the attribute's JSON, or none when it is missing or not what the agent
 * publishes: a malformed value hides the sources rather than breaking the room.
 */
export function parseCitationsAttribute(value: string | undefined): TCitation[] {
  if (!value) return [];
  try {
    const parsed = ZCitations.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
