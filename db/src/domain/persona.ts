import { z } from 'zod';

/** Who the agent is in a session: Adam the coach, or a role-play customer. */
export const ZPersona = z.object({
  name: z.string().trim().min(1).max(60),
  /** A voice hint the agent maps onto whichever TTS engine is configured. */
  voice: z.string().trim().min(1).max(40),
  personality: z.string().trim().min(1).max(600),
  background: z.string().trim().max(1200).default(''),
});

/**
 * Turn-taking patience: how long the agent waits after the trainee stops speaking before it
 * answers — the minimum when their sentence sounds finished, up to the maximum when they trail
 * off mid-sentence (the agent's turn detector reads the transcript). Trainees who pause to think
 * need a higher minimum.
 */
export const ZPatience = z
  .object({
    minEndpointingDelayMs: z.number().int().min(100).max(5000),
    maxEndpointingDelayMs: z.number().int().min(500).max(20000),
  })
  .refine((p) => p.maxEndpointingDelayMs >= p.minEndpointingDelayMs, {
    message: 'maximum delay must be at least the minimum delay',
    path: ['maxEndpointingDelayMs'],
  });

export const ZObjections = z.array(z.string().trim().min(3).max(300)).max(30);

export type TPersona = z.infer<typeof ZPersona>;
export type TPatience = z.infer<typeof ZPatience>;

export const DEFAULT_PATIENCE: TPatience = { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 3000 };
