import type { TJobQueueDepth } from '@avatar-adam/db/job-queue-health';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { cacheHits, cacheMisses } from './cache-metrics';

/**
 * The web app's Prometheus metrics, one registry per process. Kept on globalThis because Next's
 * dev server re-evaluates modules on every change, and prom-client refuses to register a metric
 * name twice.
 */
type TWebMetrics = {
  registry: Registry;
  procedureSeconds: Histogram<'procedure' | 'type' | 'outcome'>;
  procedureErrors: Counter<'procedure' | 'code'>;
  queueDepth: Gauge<'queue'>;
  deadJobs: Gauge<'queue'>;
};

const KEY = Symbol.for('avatar-adam.web-metrics');
const holder = globalThis as typeof globalThis & { [KEY]?: TWebMetrics };

export function webMetrics(): TWebMetrics {
  holder[KEY] ??= createWebMetrics();
  return holder[KEY];
}

function createWebMetrics(): TWebMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'web' });
  collectDefaultMetrics({ register: registry, prefix: 'avatar_adam_web_' });
  return {
    registry,
    procedureSeconds: new Histogram({
      name: 'avatar_adam_trpc_procedure_duration_seconds',
      help: 'Time spent in a tRPC procedure, from the first middleware to its result',
      labelNames: ['procedure', 'type', 'outcome'],
      // Hot reads are expected well under 50 ms; the tail buckets catch a slow database.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    procedureErrors: new Counter({
      name: 'avatar_adam_trpc_procedure_errors_total',
      help: 'tRPC procedures that ended in an error, by tRPC error code',
      labelNames: ['procedure', 'code'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'avatar_adam_queue_depth',
      help: 'Jobs of the durable queue waiting to start (new or waiting for a retry), read from pg-boss at scrape time',
      labelNames: ['queue'],
      registers: [registry],
    }),
    deadJobs: new Gauge({
      name: 'avatar_adam_dead_jobs',
      help: 'Jobs dead-lettered (retries used up) in the last 7 days, read from pg-boss at scrape time',
      labelNames: ['queue'],
      registers: [registry],
    }),
    ...cacheCounters(registry),
  };
}

/**
 * The caches count hits and misses themselves (cache-metrics.ts, no prom-client on the read
 * path); these counters copy the totals at scrape time. Hit rate in PromQL:
 * `sum by (cache) (rate(avatar_adam_cache_hits_total[5m])) / (that + rate(avatar_adam_cache_misses_total[5m]))`.
 */
function cacheCounters(registry: Registry): Record<string, never> {
  new Counter({
    name: 'avatar_adam_cache_hits_total',
    help: 'Reads served from a cache, by cache and tier (local: this instance; shared: Redis, computed by another instance)',
    labelNames: ['cache', 'tier'],
    registers: [registry],
    collect() {
      this.reset();
      for (const h of cacheHits()) this.inc({ cache: h.cache, tier: h.tier }, h.value);
    },
  });
  new Counter({
    name: 'avatar_adam_cache_misses_total',
    help: 'Reads a cache could not serve (the value was computed), by cache',
    labelNames: ['cache'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of cacheMisses()) this.inc({ cache: m.cache }, m.value);
    },
  });
  return {};
}

/** Sets the queue gauges from one read of pg-boss's tables (the scrape route reads it). */
export function recordJobQueueDepth(depth: readonly TJobQueueDepth[]): void {
  const { queueDepth, deadJobs } = webMetrics();
  for (const q of depth) {
    queueDepth.set({ queue: q.queue }, q.waiting);
    deadJobs.set({ queue: q.queue }, q.dead);
  }
}
