import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from './client';

/** The interface pg-boss runs its SQL through (`new PgBoss({ db })`, `send(…, { db })`). */
export type TBossDb = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
};

type TPostgresJsQueries = { unsafe(text: string, values?: unknown[]): Promise<Record<string, unknown>[]> };
type TPostgresJs = TPostgresJsQueries & { reserve(): Promise<TPostgresJsQueries & { release(): void }> };

/**
 * pg-boss's maintenance (expiring the jobs of a worker that died, archiving, dropping) and its
 * migrations are scripts that open their own transaction (`BEGIN; … COMMIT;`). postgres.js refuses
 * a BEGIN on its pool (UNSAFE_TRANSACTION: the next query could land on another connection), so
 * those run on a connection reserved for them.
 */
const OPENS_TRANSACTION = /^\s*BEGIN\s*;/im;
type TPglite = {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  exec(text: string): Promise<Array<{ rows: Record<string, unknown>[] }>>;
};

/**
 * pg-boss on the project's own connection instead of a second `pg` pool: the same postgres.js
 * client (Postgres, or the embedded server over its socket) or the same in-process PGlite the
 * rest of the code uses. Its schema plans are multi-statement scripts sent without parameters,
 * which need the simple query protocol: postgres.js `unsafe` uses it when there are no
 * parameters; PGlite has `exec` for it.
 */
export function bossDbFor(db: Db): TBossDb {
  const client = (db as unknown as { $client: unknown }).$client;
  if (isPostgresJs(client)) {
    return {
      async executeSql(text, values) {
        if (!OPENS_TRANSACTION.test(text)) return { rows: [...(await client.unsafe(text, values?.map(toPgText)))] };
        const reserved = await client.reserve();
        try {
          return { rows: [...(await reserved.unsafe(text, values?.map(toPgText)))] };
        } finally {
          reserved.release();
        }
      },
    };
  }
  if (isPglite(client)) {
    return {
      async executeSql(text, values) {
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        return client.query(text, values.map(toPgText));
      },
    };
  }
  throw new Error('job queue: unsupported database client (expected postgres.js or PGlite)');
}

/**
 * pg-boss inside a drizzle transaction, so a job is stored (or not) with the row it concerns.
 * Only single statements with parameters go through here (pg-boss's insert of one job).
 */
export function bossDbForTransaction(tx: Tx | Db): TBossDb {
  return {
    async executeSql(text, values = []) {
      const result = (await tx.execute(bindPlaceholders(text, values.map(toPgText)))) as unknown;
      const rows = Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows;
      return { rows: [...rows] as Record<string, unknown>[] };
    },
  };
}

/** `$1`, `$2`… of pg-boss's SQL text become drizzle parameters (each occurrence its own). */
function bindPlaceholders(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => {
    chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1] ?? null}`);
  });
  return sql.join(chunks, sql.raw(''));
}

/**
 * Values as the `pg` driver pg-boss is written for sends them: objects as JSON, arrays as
 * Postgres array literals, so the server casts them by the statement's own types. Booleans and
 * numbers stay native: both drivers serialise a parameter by the type the server describes, and
 * postgres.js reads any non-`true` value of a boolean parameter as false.
 */
function toPgText(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isPostgresJs(client: unknown): client is TPostgresJs {
  return typeof (client as TPostgresJs | undefined)?.unsafe === 'function';
}

function isPglite(client: unknown): client is TPglite {
  const c = client as TPglite | undefined;
  return typeof c?.query === 'function' && typeof c.exec === 'function';
}
