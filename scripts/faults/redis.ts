import { ACCOUNT_FAILURES } from '../../web/src/server/auth/login-limiter';
import { startRedis } from '../../test/harness/redis';
import { type TWebInstance, startRedisWebInstance, waitForSharedRedis } from '../../test/harness/redis-web-instances';
import { percentile } from '../lib/proc-stats';

/*
 * npm run fault:redis — two web instances (separate Node processes with the product's Redis
 * client, login limiter and cache) fire sign-in checks at a steady rate against one real
 * redis-server; Redis is stopped for a while and started again. Prints, per phase, requests
 * served, errors and latency, then how long after Redis returned the limits were shared again.
 *   --rate <req/s> (default 100)  --before <s> (3)  --outage <s> (5)  --after <s> (3)
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RATE = arg('rate', 100);
const PHASES = { before: arg('before', 3), outage: arg('outage', 5), after: arg('after', 3) };

type TPhase = keyof typeof PHASES | 'restart';
type TSample = { phase: TPhase; ok: boolean; ms: number };

async function main() {
  let redis = await startRedis();
  const instances = await Promise.all(['a', 'b'].map((name) => startRedisWebInstance({ name, redisUrl: redis.url })));
  await waitForSharedRedis(instances);
  const samples: TSample[] = [];
  let phase: TPhase = 'before';
  let n = 0;

  // A steady stream of sign-in checks (a failure recorded, every fourth a lock check), alternating.
  const timer = setInterval(() => {
    const i = instances[n % 2]!;
    const path = n % 4 === 3 ? '/login-locked' : '/login-failure';
    const at = phase;
    const started = performance.now();
    n++;
    i.call(path, { email: `load-${n % 500}@x.example`, ip: `198.51.100.${n % 200}` }).then(
      (r) => samples.push({ phase: at, ok: r.status === 200, ms: performance.now() - started }),
      () => samples.push({ phase: at, ok: false, ms: performance.now() - started }),
    );
  }, 1000 / RATE);

  await sleep(PHASES.before * 1000);
  phase = 'outage';
  await redis.stop();
  await sleep(PHASES.outage * 1000);
  phase = 'restart';
  const restartedAt = performance.now();
  redis = await startRedis(redis.port);
  const reconnectMs = await waitForSharedRedis(instances);
  const sharedMs = await timeToSharedLockout(instances, restartedAt);
  phase = 'after';
  await sleep(PHASES.after * 1000);
  clearInterval(timer);
  await sleep(500);

  console.log(`\nfault:redis — 2 web instances, ${RATE} sign-in checks/s, Redis down for ${PHASES.outage} s\n`);
  console.log('phase     requests  errors   p50 ms   p95 ms   max ms');
  for (const p of ['before', 'outage', 'restart', 'after'] as const) {
    const of = samples.filter((s) => s.phase === p);
    const ms = of.map((s) => s.ms);
    const row = [p.padEnd(8), String(of.length).padStart(9), String(of.filter((s) => !s.ok).length).padStart(7)];
    console.log(`${row.join(' ')} ${[percentile(ms, 50), percentile(ms, 95), Math.max(0, ...ms)].map((v) => v.toFixed(1).padStart(8)).join(' ')}`);
  }
  console.log(`\nredis-server accepting connections → both instances reconnected: ${reconnectMs} ms`);
  console.log(`Redis started → limits shared again (a lock-out counted across both instances): ${sharedMs.toFixed(0)} ms`);
  await Promise.all(instances.map((i) => i.stop()));
  await redis.stop();
}

/** From Redis's restart until N failures spread over both instances lock an account on both. */
async function timeToSharedLockout(instances: TWebInstance[], since: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const email = `resume-${attempt}@x.example`;
    const who = { email, ip: '192.0.2.9' };
    for (let k = 0; k < ACCOUNT_FAILURES; k++) await instances[k % 2]!.call('/login-failure', who);
    const locks = await Promise.all(instances.map((i) => i.call<{ lockedForMs: number }>('/login-locked', who)));
    if (locks.every((l) => l.result.lockedForMs > 0)) return performance.now() - since;
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
