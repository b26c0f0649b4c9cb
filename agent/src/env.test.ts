import { itAppliesTheSharedRules, loadEnvModule } from '@avatar-adam/db/config-rules-testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

const loadEnv = (vars: Record<string, string>) => loadEnvModule(() => import('./env'), vars);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('agent configuration at start', () => {
  itAppliesTheSharedRules('agent worker', loadEnv);

  it('takes a production LiveKit and Redis when all their settings are given', async () => {
    const { env } = await loadEnv({
      LIVEKIT_URL: 'wss://lk.example.com',
      LIVEKIT_API_KEY: 'APIkey',
      LIVEKIT_API_SECRET: 'secret',
      REDIS_URL: 'rediss://cache.example.com:6380',
    });
    expect(env).toMatchObject({ LIVEKIT_URL: 'wss://lk.example.com', LIVEKIT_API_KEY: 'APIkey', REDIS_URL: 'rediss://cache.example.com:6380' });
  });
});
