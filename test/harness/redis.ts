import { existsSync } from 'node:fs';
import { freeTcpPort, type ManagedProcess, startProcess } from '../../scripts/lib/processes';

export type TestRedis = { url: string; port: number; process: ManagedProcess; stop(): Promise<void> };

const REDIS_SERVER = process.env.AVATAR_ADAM_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

/** A throwaway redis-server on a free port, nothing persisted: for tests of the Redis-backed paths. */
export async function startRedis(port?: number): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`redis-server not found at ${REDIS_SERVER}: apt-get install redis-server (or set AVATAR_ADAM_TEST_REDIS_SERVER)`);
  }
  const chosen = port ?? (await freeTcpPort());
  const proc = startProcess({
    name: 'redis',
    command: REDIS_SERVER,
    args: ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  });
  await proc.waitForLine(/Ready to accept connections/, 15_000);
  return { url: `redis://127.0.0.1:${chosen}`, port: chosen, process: proc, stop: () => proc.stop() };
}
