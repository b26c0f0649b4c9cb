import { z } from 'zod';

/*
 * Rules for the settings web, agent worker and job processes share, so each process refuses the
 * same bad value with the same words. Values are never echoed back: some carry passwords.
 */

export const ZDatabaseUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// or postgresql:// URL (unset it to use the embedded database)');

export const ZRedisUrl = z
  .string()
  .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL (unset it to keep caches and limits in-process)');

export const ZLiveKitUrl = z
  .string()
  .regex(/^(wss?|https?):\/\/[^\s]+$/, 'must be a ws://, wss://, http:// or https:// URL');

/** Secrets that sign or key something: long enough not to be guessed. */
export const zSecret = (name: string, min = 32) => z.string().min(min, `${name} must be at least ${min} characters`);

const LIVEKIT_KEYS = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const;

/**
 * A LiveKit server is the three settings together: a URL with the local dev keys (or keys with the
 * local server) would fail later, on the first session, with an authentication error.
 */
export function checkLiveKitTogether(values: Partial<Record<(typeof LIVEKIT_KEYS)[number], unknown>>, ctx: z.RefinementCtx) {
  const set = LIVEKIT_KEYS.filter((k) => values[k] !== undefined);
  if (set.length === 0 || set.length === LIVEKIT_KEYS.length) return;
  const missing = LIVEKIT_KEYS.filter((k) => values[k] === undefined);
  ctx.addIssue({
    code: 'custom',
    path: [missing[0]!],
    message: `${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set, so ${missing.join(' and ')} must be too (set all three for your LiveKit server, or none for the local one)`,
  });
}

export const LIVEKIT_DEV_DEFAULTS = {
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  // The development key pair of livekit.yaml; production sets its own.
  LIVEKIT_API_SECRET: 'avatar-adam-dev-secret-not-for-production',
} as const;

type TIssue = { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] | undefined };

/** Every problem on its own line, named by variable, ready for stderr. */
export function formatConfigIssues(app: string, issues: readonly TIssue[]): string {
  const lines = issues.map((issue) => {
    const key = issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    return `  - ${key ? `${key}: ` : ''}${issue.message}`;
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return [`Cannot start the ${app}: invalid configuration (${count}):`, ...lines, 'Fix these environment variables (see README, "Switching to production parts") and start again.'].join('\n');
}

/** What every process does with bad configuration: one readable message, exit code 1. */
export function exitOnConfigIssues(app: string): (issues: readonly TIssue[]) => never {
  return (issues) => {
    process.stderr.write(`${formatConfigIssues(app, issues)}\n`);
    process.exit(1);
  };
}
