import { z } from 'zod';
import { SetupError } from './livekit-binary';

const port = z.coerce.number().int().min(1).max(65535);
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const ZDevConfig = z
  .object({
    WEB_PORT: z.preprocess(blankAsUndefined, port.default(3000)),
    EMBEDDED_DB_PORT: z.preprocess(blankAsUndefined, port.default(54329)),
    DATABASE_URL: z.preprocess(blankAsUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional()),
    LIVEKIT_URL: z.preprocess(blankAsUndefined, z.string().regex(/^wss?:\/\//, 'must start with ws:// or wss://').optional()),
    LIVEKIT_API_KEY: z.preprocess(blankAsUndefined, z.string().optional()),
    LIVEKIT_API_SECRET: z.preprocess(blankAsUndefined, z.string().optional()),
    NEXTAUTH_SECRET: z.preprocess(blankAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    NEXTAUTH_URL: z.preprocess(blankAsUndefined, z.string().url().optional()),
    /** 1 = also run phone practice: a local redis-server and the LiveKit SIP bridge. */
    PHONE_PRACTICE: z.preprocess(blankAsUndefined, z.enum(['0', '1', 'true', 'false']).default('0')),
    REDIS_PORT: z.preprocess(blankAsUndefined, port.default(6379)),
    SIP_PORT: z.preprocess(blankAsUndefined, port.default(5060)),
  })
  .refine((c) => !c.LIVEKIT_URL || (c.LIVEKIT_API_KEY && c.LIVEKIT_API_SECRET), {
    message: 'LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too',
    path: ['LIVEKIT_URL'],
  });

/** The environment `npm run dev` reads; unset means the embedded default for each part. */
export function loadDevConfig(env: Record<string, string | undefined>) {
  const parsed = ZDevConfig.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new SetupError(`invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    webPort: c.WEB_PORT,
    embeddedDbPort: c.EMBEDDED_DB_PORT,
    databaseUrl: c.DATABASE_URL,
    livekitUrl: c.LIVEKIT_URL,
    livekitApiKey: c.LIVEKIT_API_KEY ?? '',
    livekitApiSecret: c.LIVEKIT_API_SECRET ?? '',
    nextAuthSecret: c.NEXTAUTH_SECRET,
    nextAuthUrl: c.NEXTAUTH_URL,
    phonePractice: c.PHONE_PRACTICE === '1' || c.PHONE_PRACTICE === 'true',
    redisPort: c.REDIS_PORT,
    sipPort: c.SIP_PORT,
  };
}
