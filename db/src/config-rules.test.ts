import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZDatabaseUrl, ZLiveKitUrl, ZRedisUrl, checkLiveKitTogether, formatConfigIssues } from './config-rules';

const ZLiveKit = z
  .object({ LIVEKIT_URL: ZLiveKitUrl.optional(), LIVEKIT_API_KEY: z.string().optional(), LIVEKIT_API_SECRET: z.string().optional() })
  .superRefine(checkLiveKitTogether);

describe('configuration rules', () => {
  it('accepts the URL schemes each service speaks and refuses others', () => {
    expect(ZDatabaseUrl.safeParse('postgres://u:p@db:5432/x').success).toBe(true);
    expect(ZDatabaseUrl.safeParse('postgresql://db/x?prepare=false').success).toBe(true);
    expect(ZDatabaseUrl.safeParse('mysql://db/x').success).toBe(false);
    expect(ZRedisUrl.safeParse('rediss://cache:6380').success).toBe(true);
    expect(ZRedisUrl.safeParse('http://cache:6379').success).toBe(false);
    expect(ZLiveKitUrl.safeParse('wss://lk.example.com').success).toBe(true);
    expect(ZLiveKitUrl.safeParse('https://lk.example.com').success).toBe(true);
    expect(ZLiveKitUrl.safeParse('lk.example.com:7880').success).toBe(false);
  });

  it('wants the LiveKit URL, key and secret together or not at all, naming what is missing', () => {
    expect(ZLiveKit.safeParse({}).success).toBe(true);
    expect(ZLiveKit.safeParse({ LIVEKIT_URL: 'wss://lk', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }).success).toBe(true);
    const urlOnly = ZLiveKit.safeParse({ LIVEKIT_URL: 'wss://lk' });
    expect(urlOnly.error?.issues).toEqual([
      expect.objectContaining({ path: ['LIVEKIT_API_KEY'], message: expect.stringMatching(/LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be too/) }),
    ]);
    const keysOnly = ZLiveKit.safeParse({ LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' });
    expect(keysOnly.error?.issues[0]?.message).toMatch(/LIVEKIT_API_KEY and LIVEKIT_API_SECRET are set, so LIVEKIT_URL must be too/);
  });

  it('lists every problem on its own line, by variable, without echoing values', () => {
    const parsed = z
      .object({ DATABASE_URL: ZDatabaseUrl, REDIS_URL: ZRedisUrl })
      .safeParse({ DATABASE_URL: 'mysql://root:hunter2@db/x', REDIS_URL: 'memcached://c' });
    const text = formatConfigIssues('web app', parsed.error!.issues);
    expect(text.split('\n')).toEqual([
      'Cannot start the web app: invalid configuration (2 problems):',
      expect.stringMatching(/^ {2}- DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/),
      expect.stringMatching(/^ {2}- REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/),
      expect.stringMatching(/^Fix these environment variables/),
    ]);
    expect(text).not.toContain('hunter2');
  });
});
