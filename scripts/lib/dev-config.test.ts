import { describe, expect, it } from 'vitest';
import { loadDevConfig } from './dev-config';

describe('loadDevConfig', () => {
  it('gives the embedded defaults for an empty environment (blank values count as unset)', () => {
    expect(loadDevConfig({ DATABASE_URL: '', WEB_PORT: '' })).toMatchObject({
      webPort: 3000,
      embeddedDbPort: 54329,
      databaseUrl: undefined,
      livekitUrl: undefined,
    });
  });
  it('names every bad variable in one message', () => {
    expect(() => loadDevConfig({ WEB_PORT: '99999', DATABASE_URL: 'mysql://x' })).toThrow(
      /WEB_PORT: .*\n.*DATABASE_URL: must start with postgres:\/\//,
    );
  });
  it('requires keys with an external LiveKit', () => {
    expect(() => loadDevConfig({ LIVEKIT_URL: 'wss://lk.example.com' })).toThrow(/LIVEKIT_API_KEY and LIVEKIT_API_SECRET/);
  });
  it('turns phone practice on only when asked, with its ports', () => {
    expect(loadDevConfig({})).toMatchObject({ phonePractice: false, redisPort: 6379, sipPort: 5060 });
    expect(loadDevConfig({ PHONE_PRACTICE: '1', SIP_PORT: '5070' })).toMatchObject({ phonePractice: true, sipPort: 5070 });
    expect(() => loadDevConfig({ PHONE_PRACTICE: 'yes' })).toThrow(/PHONE_PRACTICE/);
  });
});
