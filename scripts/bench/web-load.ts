// bench:web's HTTP side: signing in through next-auth like a browser, and a fixed-rate load run
// with every response time kept (autocannon reports p97.5, not p95, so percentiles are ours).
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { percentile } from '../lib/proc-stats';

/** Linux clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds used so far by every process of a process group (user + system). CPU per request
 * is the figure that survives a busy shared machine: latency includes everyone else's work.
 */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the parenthesised command: state(0) ppid(1) pgrp(2) … utime(11) stime(12).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we were reading it.
    }
  }
  return ticks / CLOCK_TICKS;
}

/** The session cookie of `email`, signed in through the credentials form's own endpoints. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/`, json: 'true' }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in as ${email} failed: HTTP ${res.status}, no session cookie`);
  return session.split(';')[0]!;
}

/** A tRPC query over HTTP GET, input encoded as superjson does for plain JSON values. */
export function trpcGetUrl(baseUrl: string, procedure: string, input: unknown): string {
  return `${baseUrl}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

export type TLoadResult = {
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};

/**
 * One autocannon run. Its rate limit gives each connection `rate / connections` requests at the
 * top of every second, sent back to back: at 300 req/s over one run that is a burst per second.
 */
function autocannonRun(opts: { url: string; cookie: string; rate: number; seconds: number }, onTime: (ms: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        // One request per connection per second: no request waits behind another on its socket.
        connections: opts.rate,
        overallRate: opts.rate,
        duration: opts.seconds,
        timeout: 10,
        headers: { cookie: opts.cookie, accept: 'application/json' },
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    // autocannon emits (client, statusCode, bytes, responseTime); its type definitions leave out the client.
    const onResponse = (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) onTime(responseTime);
    };
    instance.on('response', onResponse as never);
  });
}

/**
 * `rate` requests per second for `seconds`, as `slices` autocannon runs started evenly across the
 * first second (20 slices: 15 requests every 50 ms at 300 req/s), so arrivals approximate a steady
 * rate instead of one burst per second. Every 2xx response time is kept for exact percentiles.
 */
export async function runLoad(opts: { url: string; cookie: string; rate: number; seconds: number; slices?: number }): Promise<TLoadResult> {
  const slices = opts.slices ?? 20;
  const times: number[] = [];
  const runs = Array.from({ length: slices }, async (_, i) => {
    const rate = Math.floor(opts.rate / slices) + (i < opts.rate % slices ? 1 : 0);
    await new Promise((r) => setTimeout(r, (i * 1000) / slices));
    return autocannonRun({ ...opts, rate }, (ms) => times.push(ms));
  });
  const results = await Promise.all(runs);
  const sum = (pick: (r: autocannon.Result) => number) => results.reduce((n, r) => n + pick(r), 0);
  const requests = sum((r) => r.requests.total);
  return {
    requests,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    rps: requests / opts.seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.length ? times.reduce((m, t) => Math.max(m, t), 0) : Number.NaN,
  };
}
