import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The job worker's own Prometheus figures, served by worker-main on JOBS_METRICS_PORT: how long a
 * job waited for a worker (stored → started: with the queue depth on the web's /api/metrics, this
 * says whether more job workers are needed) and how long it ran, by outcome.
 */
export type TJobMetrics = {
  registry: Registry;
  observe(queue: string, job: { createdOn: Date | string; startedOn?: Date | string | null }, startedAt: number, outcome: 'ok' | 'error'): void;
};

export function createJobMetrics(): TJobMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'jobs' });
  collectDefaultMetrics({ register: registry, prefix: 'avatar_adam_jobs_' });
  const waited = new Histogram({
    name: 'avatar_adam_job_wait_seconds',
    help: 'Time from a job being stored to a worker starting it (retries: from when it was stored again)',
    labelNames: ['queue'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const ran = new Histogram({
    name: 'avatar_adam_job_duration_seconds',
    help: 'Time a job handler ran, by queue and outcome (error: it will be retried or dead-lettered)',
    labelNames: ['queue', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  return {
    registry,
    observe(queue, job, startedAt, outcome) {
      // Timestamps arrive as Date or as text depending on the driver under pg-boss.
      const started = job.startedOn ? new Date(job.startedOn).getTime() : startedAt;
      const created = new Date(job.createdOn).getTime();
      if (Number.isFinite(created) && Number.isFinite(started)) waited.observe({ queue }, Math.max(0, started - created) / 1000);
      ran.observe({ queue, outcome }, (Date.now() - startedAt) / 1000);
    },
  };
}
