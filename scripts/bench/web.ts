// Web benchmark: hot tRPC reads of the production build under a fixed request rate, and how soon
// /practice is usable in a real browser. Target: analytics.dashboard and history.list p95 ≤ 50 ms
// at 300 requests/s on this machine (`next build` + `next start`, embedded database).
// Usage: npm run bench:web [-- --rate 300 --seconds 20 --skip-build]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot } from '@avatar-adam/db';
import { DEMO_PASSWORD, DEMO_USERS } from '@avatar-adam/db/seed';
import { freeTcpPort, type ManagedProcess, startProcess, waitForHttp } from '../lib/processes';
import { measurePracticeLoads } from './web-browser';
import { groupCpuSeconds, runLoad, signIn, type TLoadResult, trpcGetUrl } from './web-load';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RATE = arg('rate', 300);
const SECONDS = arg('seconds', 20);
const WARMUP_SECONDS = 5;
const root = findRepoRoot();
const webDir = path.join(root, 'web');
/*
 * Relative to web/ (next.config.ts reads AVATAR_ADAM_TEST_NEXT_DIST_DIR), git- and docker-ignored.
 * Not `.next`: a build empties its folder, and test servers keep their `next dev` output under it.
 */
const DIST_DIR = '.next-test/bench';
const workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-bench-web-'));
const say = (line: string) => process.stdout.write(`${line}\n`);
const processes: ManagedProcess[] = [];

async function exitCodeOf(p: ManagedProcess, what: string) {
  const code = await p.exited;
  if (code !== 0) throw new Error(`${what} failed (${code}):\n${p.tail().slice(-25).join('\n')}`);
}

async function main() {
  say(`bench:web — ${RATE} req/s for ${SECONDS} s per read (after ${WARMUP_SECONDS} s of warm-up), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const db = startProcess({ name: 'bench-db', command: process.execPath, args: ['--import', 'tsx', 'scripts/bench/web-db.ts'], cwd: root, logFile: path.join(workDir, 'db.log') });
  processes.push(db);

  const skipBuild = process.argv.includes('--skip-build') && existsSync(path.join(webDir, DIST_DIR, 'BUILD_ID'));
  const nextEnv = { ...process.env, NODE_ENV: 'production' as const, NEXT_TELEMETRY_DISABLED: '1', AVATAR_ADAM_TEST_NEXT_DIST_DIR: DIST_DIR };
  const buildStarted = performance.now();
  if (!skipBuild) {
    say('building the web app (next build)…');
    const build = startProcess({ name: 'next build', command: path.join(root, 'node_modules', '.bin', 'next'), args: ['build'], cwd: webDir, env: nextEnv, logFile: path.join(workDir, 'build.log') });
    await exitCodeOf(build, 'next build');
  }
  const buildSeconds = (performance.now() - buildStarted) / 1000;

  const ready = await db.waitForLine(/^bench-db ready /, 300_000);
  const { url: databaseUrl, counts } = JSON.parse(ready.replace(/^bench-db ready /, '')) as { url: string; counts: Record<string, number> };
  say(`database: embedded, seeded + ${counts.sessions} synthetic sessions of ${counts.trainees} trainees (${counts.scorecards} scorecards, ${counts.turns} turns)`);

  const port = await freeTcpPort();
  const baseUrl = `http://localhost:${port}`;
  const web = startProcess({
    name: 'next start',
    command: path.join(root, 'node_modules', '.bin', 'next'),
    args: ['start', '--port', String(port)],
    cwd: webDir,
    env: { ...nextEnv, DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: randomBytes(32).toString('hex'), NEXTAUTH_URL: baseUrl, PORT: String(port) },
    logFile: path.join(workDir, 'web.log'),
  });
  processes.push(web);
  await waitForHttp(`${baseUrl}/sign-in`, 60_000, () => true);

  const email = (role: string) => DEMO_USERS.find((u) => u.role === role)!.email;
  const manager = await signIn(baseUrl, email('dealership_admin'), DEMO_PASSWORD);
  const trainee = await signIn(baseUrl, email('trainee'), DEMO_PASSWORD);

  // Cold first: the server has not rendered /practice yet and the browser cache is empty.
  const loads = await measurePracticeLoads({ baseUrl, sessionCookie: trainee, loads: 4 });

  const today = new Date();
  const from = new Date(today.getTime() - 83 * 24 * 60 * 60 * 1000);
  const reads = [
    { name: 'analytics.dashboard (12 weeks, whole team)', url: trpcGetUrl(baseUrl, 'analytics.dashboard', { from: from.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) }) },
    { name: 'history.list (manager, first page of 20)', url: trpcGetUrl(baseUrl, 'history.list', { limit: 20 }) },
  ];
  // The dashboard is cached per (dealership, range, trainee) for 30 s: time real computations
  // first, each with a range no one asked for yet.
  const misses: number[] = [];
  for (let days = 84; days < 89; days++) {
    const since = new Date(today.getTime() - days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const started = performance.now();
    const res = await fetch(trpcGetUrl(baseUrl, 'analytics.dashboard', { from: since, to: today.toISOString().slice(0, 10) }), { headers: { cookie: manager } });
    await res.text();
    misses.push(performance.now() - started);
  }
  const results: Array<{ name: string; bytes: number; load: TLoadResult; webCpuMs: number; dbCpuMs: number }> = [];
  const cpu = () => ({ web: groupCpuSeconds(web.child.pid!), db: groupCpuSeconds(db.child.pid!) });
  for (const read of reads) {
    const check = await fetch(read.url, { headers: { cookie: manager } });
    const body = await check.text();
    if (!check.ok) throw new Error(`${read.name} answered HTTP ${check.status}: ${body.slice(0, 300)}`);
    await runLoad({ url: read.url, cookie: manager, rate: RATE, seconds: WARMUP_SECONDS });
    const before = cpu();
    const load = await runLoad({ url: read.url, cookie: manager, rate: RATE, seconds: SECONDS });
    const after = cpu();
    const perRequestMs = (seconds: number) => (seconds * 1000) / Math.max(1, load.requests);
    results.push({ name: read.name, bytes: body.length, load, webCpuMs: perRequestMs(after.web - before.web), dbCpuMs: perRequestMs(after.db - before.db) });
  }

  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
  say('');
  say(`web benchmark — production build${skipBuild ? ' (reused)' : ` (built in ${buildSeconds.toFixed(0)} s)`}, embedded database, load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const { name, bytes, load, webCpuMs, dbCpuMs } of results) {
    say(`${name.padEnd(44)} p50 ${ms(load.p50)}  p95 ${ms(load.p95)}  p99 ${ms(load.p99)}  max ${ms(load.max)}  ${load.rps.toFixed(0)} req/s  (${load.requests} requests, ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts, ${bytes} B)`);
    say(`${''.padEnd(44)} CPU per request: web server ${webCpuMs.toFixed(2)} ms, database ${dbCpuMs.toFixed(2)} ms`);
  }
  say(`target: p95 ≤ 50 ms at ${RATE} req/s`);
  say(`analytics.dashboard computed (cache miss, one request at a time): ${misses.map((m) => `${m.toFixed(0)} ms`).join(', ')}`);
  const [cold, ...warm] = loads;
  const fmtLoad = (l: { ttfbMs: number; domContentLoadedMs: number; interactiveMs: number }) => `first byte ${l.ttfbMs} ms, DOMContentLoaded ${l.domContentLoadedMs} ms, interactive ${l.interactiveMs} ms`;
  say(`practice page interactive (Chromium, "Start practice" hydrated), cold: ${fmtLoad(cold!)}`);
  say(`practice page interactive, warm server / fresh browser cache (${warm.length} loads): ${warm.map((l) => `${l.interactiveMs} ms`).join(', ')}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:web failed: ${(error as Error).stack ?? String(error)}\nlogs: ${workDir}\n`);
  process.exitCode = 1;
} finally {
  await Promise.all(processes.map((p) => p.stop()));
  if (process.exitCode !== 1) rmSync(workDir, { recursive: true, force: true });
}
