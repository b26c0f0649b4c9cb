import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot } from '@avatar-adam/db';
import { ensureLivekitServer } from '../../scripts/lib/livekit-binary';
import { readLivekitKeys, startLivekitServer, writeLivekitConfig } from '../../scripts/lib/livekit-server';
import { freeTcpPort } from '../../scripts/lib/processes';
import { type TestRedis, startRedis } from './redis';

export type TestLivekitWithRedis = {
  redis: TestRedis;
  livekit: { url: string; apiKey: string; apiSecret: string };
  workDir: string;
  logDir: string;
  stop(): Promise<void>;
};

/**
 * A redis-server and a livekit-server using it, on free ports: what SIP needs (trunks and dispatch
 * rules live in Redis, and the SIP bridge reaches the server through it).
 */
export async function startLivekitWithRedis(): Promise<TestLivekitWithRedis> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-sip-'));
  const logDir = path.join(workDir, 'logs');
  mkdirSync(logDir);
  const redis = await startRedis();
  try {
    const bin = await ensureLivekitServer(() => {});
    const ports = { http: await freeTcpPort(), rtcTcp: await freeTcpPort(), rtcUdp: await freeTcpPort() };
    const configFile = writeLivekitConfig(findRepoRoot(), workDir, ports, { redisAddress: `127.0.0.1:${redis.port}` });
    const server = await startLivekitServer({ bin, configFile, httpPort: ports.http, logFile: path.join(logDir, 'livekit.log') });
    return {
      redis,
      livekit: { url: `ws://127.0.0.1:${ports.http}`, ...readLivekitKeys(configFile) },
      workDir,
      logDir,
      async stop() {
        await server.stop();
        await redis.stop();
        if (process.env.AVATAR_ADAM_TEST_KEEP_LOGS) process.stderr.write(`logs kept in ${logDir}\n`);
        else rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}
