import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { AppError } from './errors';
import { dataDir } from './paths';
import * as schema from './schema';

export type TSchema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, TSchema, ExtractTablesWithRelations<TSchema>>;
export type Tx = PgTransaction<PgQueryResultHKT, TSchema, ExtractTablesWithRelations<TSchema>>;

export type DbHandle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Where it points, without credentials, for logs and error messages. */
  target: string;
  close(): Promise<void>;
};

/** Written by a running embedded database server so other processes can find it. */
export const EMBEDDED_STATE_FILE = 'embedded-db.json';

/**
 * Opens the database:
 * - `url` (DATABASE_URL) → Postgres through postgres.js;
 * - no url, but an embedded server of this checkout is running → connect to it over the wire;
 * - otherwise → PGlite with pgvector in this process, in `.data/pglite` (or in memory with
 *   `dataDir: 'memory'`). Only one process may open a PGlite directory, which is why `npm run dev`
 *   serves it over a socket to web and agent.
 */
export async function createDb(opts: { url?: string; dataDir?: string } = {}): Promise<DbHandle> {
  if (opts.url) return connectPostgres(opts.url);
  if (opts.dataDir !== 'memory') {
    const running = readRunningEmbeddedServer(opts.dataDir ?? dataDir());
    if (running) return connectPostgres(running);
  }
  return openPglite(opts.dataDir ?? path.join(dataDir(), 'pglite'));
}

export async function openPglite(
  dir: string,
  opts: {
    /** A data folder saved by PGlite's dumpDataDir (tests: a migrated, seeded database in ~0.6 s instead of ~3.5 s); 'memory' only. */
    loadDataDir?: Blob;
  } = {},
): Promise<DbHandle & { pglite: import('@electric-sql/pglite').PGlite }> {
  const [{ PGlite }, { vector }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
    import('drizzle-orm/pglite'),
  ]);
  const target = dir === 'memory' ? 'memory://' : dir;
  let pglite: InstanceType<typeof PGlite>;
  try {
    if (opts.loadDataDir && dir !== 'memory') throw new Error('loadDataDir is for in-memory databases only');
    pglite = await PGlite.create(dir === 'memory' ? undefined : dir, { extensions: { vector }, loadDataDir: opts.loadDataDir });
  } catch (cause) {
    throw new AppError('UNAVAILABLE', {
      message: `Cannot open the embedded database in ${target}: ${String(cause)}. If another process has it open, stop it (or run everything through "npm run dev"); if the files are damaged, move the folder away to start afresh.`,
      cause,
    });
  }
  const db = drizzle({ client: pglite, schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'pglite', target, pglite, close: () => pglite.close() };
}

async function connectPostgres(url: string): Promise<DbHandle> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
  ]);
  const parsed = parseDatabaseUrl(url);
  const client = postgres(parsed.url, {
    max: 10,
    connect_timeout: 10,
    // The embedded server multiplexes clients onto one PGlite backend, where named prepared
    // statements of different connections would collide.
    prepare: parsed.prepare,
    onnotice: () => {},
  });
  try {
    await client`select 1`;
  } catch (cause) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new AppError('UNAVAILABLE', {
      message: `Cannot reach the database at ${parsed.target} (${describe(cause)}). Check DATABASE_URL, or unset it to use the embedded database.`,
      cause,
    });
  }
  const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'postgres', target: parsed.target, close: () => client.end({ timeout: 5 }) };
}

/** Accepts postgres:// URLs; `?prepare=false` is ours (stripped before connecting). */
export function parseDatabaseUrl(url: string): { url: string; target: string; prepare: boolean } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('BAD_REQUEST', {
      message: 'DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database',
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new AppError('BAD_REQUEST', {
      message: `DATABASE_URL must start with postgres:// (got ${parsed.protocol}//)`,
    });
  }
  const prepare = parsed.searchParams.get('prepare') !== 'false';
  parsed.searchParams.delete('prepare');
  return {
    url: parsed.toString(),
    target: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`,
    prepare,
  };
}

function readRunningEmbeddedServer(dir: string): string | null {
  const file = path.join(dir, EMBEDDED_STATE_FILE);
  if (!existsSync(file)) return null;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { url?: string; pid?: number };
    if (!state.url || !state.pid) return null;
    process.kill(state.pid, 0); // throws when that process is gone
    return state.url;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
