import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { deadLetterOf, QUEUE_NAMES, type TQueueName } from './job-queue';
import { rowsOf } from './rows';

/*
 * What the operator sees of the job queue (health page, metrics): read straight from pg-boss's
 * tables with one grouped query each, so a scrape costs no more than a count per queue.
 */

export type TJobQueueDepth = {
  queue: TQueueName;
  /** Waiting to start (new, or waiting for a retry after a failure). */
  waiting: number;
  active: number;
  /** Dead-lettered (retries used up) in the last DEAD_JOB_WINDOW_HOURS. */
  dead: number;
};

export const DEAD_JOB_WINDOW_HOURS = 24 * 7;

/** Per queue: jobs waiting, running, and dead within the window. */
export async function getJobQueueDepth(opts: { db: Db }): Promise<TJobQueueDepth[]> {
  const names = [...QUEUE_NAMES, ...QUEUE_NAMES.map(deadLetterOf)];
  const rows = rowsOf<{ name: string; waiting: number; active: number; dead: number }>(
    await opts.db.execute(sql`
      select name,
        count(*) filter (where state < 'active')::int as waiting,
        count(*) filter (where state = 'active')::int as active,
        count(*) filter (where created_on > now() - make_interval(hours => ${DEAD_JOB_WINDOW_HOURS}))::int as dead
      from (
        select name, state, created_on from pgboss.job where name in ${names} and (state <= 'active' or name like '%\_\_dead')
        union all
        select name, state, created_on from pgboss.archive where name like '%\_\_dead' and created_on > now() - make_interval(hours => ${DEAD_JOB_WINDOW_HOURS})
      ) jobs
      group by name`),
  );
  return QUEUE_NAMES.map((queue) => {
    const live = rows.find((r) => r.name === queue);
    const dead = rows.find((r) => r.name === deadLetterOf(queue));
    return { queue, waiting: live?.waiting ?? 0, active: live?.active ?? 0, dead: dead?.dead ?? 0 };
  });
}

export type TDeadJob = {
  id: string;
  queue: TQueueName;
  diedAt: Date;
  /** The ids the job was about; an email's address and text (which can carry a reset link) are left out. */
  subject: Record<string, string>;
  /** The error of the last attempt, as the handler threw it. */
  lastError: string;
  /** What the worker did about it (the document or scorecard marked failed), once it has. */
  resolution: string | null;
};

/** Dead-lettered jobs of the window, newest first. */
export async function listDeadJobs(opts: { db: Db; limit?: number }): Promise<TDeadJob[]> {
  const rows = rowsOf<{ id: string; name: string; created_on: Date | string; data: Record<string, unknown> | null; output: Record<string, unknown> | null }>(
    await opts.db.execute(sql`
      select id, name, created_on, data, output from (
        select id, name, created_on, data, output from pgboss.job where name like '%\_\_dead'
        union all
        select id, name, created_on, data, output from pgboss.archive where name like '%\_\_dead'
      ) dead
      where created_on > now() - make_interval(hours => ${DEAD_JOB_WINDOW_HOURS})
      order by created_on desc
      limit ${opts.limit ?? 50}`),
  );
  return rows.map((row) => {
    const data = row.data ?? {};
    const subject: Record<string, string> = {};
    for (const key of ['documentId', 'sessionId', 'dealershipId', 'kind']) {
      if (typeof data[key] === 'string') subject[key] = data[key];
    }
    const output = row.output ?? {};
    return {
      id: row.id,
      queue: row.name.replace(/__dead$/, '') as TQueueName,
      diedAt: new Date(row.created_on),
      subject,
      lastError: errorText(output.error ?? output),
      resolution: typeof output.resolution === 'string' ? output.resolution : null,
    };
  });
}

/** pg-boss stores a thrown error serialised ({ name, message, stack }); a handler result as is. */
function errorText(value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as { message?: unknown; value?: unknown };
    if (typeof v.message === 'string') return v.message;
    if (v.value !== undefined) return errorText(v.value);
  }
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}
