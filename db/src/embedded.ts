import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EMBEDDED_STATE_FILE, openPglite } from './client';
import { AppError } from './errors';
import { migrate } from './migrate';
import { dataDir as defaultDataDir } from './paths';

export type EmbeddedDatabase = {
  /** postgres:// URL that web, agent and tools connect to. */
  url: string;
  port: number;
  close(): Promise<void>;
};

/**
 * The embedded default database: PGlite with pgvector, migrated, served over the Postgres wire
 * protocol on loopback so that several processes (web, agent, tools) can share it. The socket
 * server multiplexes connections onto PGlite's single backend and keeps transactions together.
 */
export async function startEmbeddedDatabase(opts: {
  /** Folder for the files, or 'memory' for a throwaway database (tests). */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
} = {}): Promise<EmbeddedDatabase> {
  const stateDir = opts.dataDir === 'memory' ? null : (opts.dataDir ?? defaultDataDir());
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const handle = await openPglite(stateDir ? path.join(stateDir, 'pglite') : 'memory');
  await migrate(handle);

  const host = opts.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({
    db: handle.pglite,
    host,
    port: opts.port ?? 54329,
    maxConnections: 200,
  });
  try {
    await server.start();
  } catch (cause) {
    await handle.close();
    const inUse = (cause as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new AppError('UNAVAILABLE', {
      message: inUse
        ? `Port ${opts.port ?? 54329} is already in use, so the embedded database cannot listen there. Stop whatever holds it (\`ss -ltnp | grep ${opts.port ?? 54329}\`) or set EMBEDDED_DB_PORT.`
        : `The embedded database server could not start: ${String(cause)}`,
      cause,
    });
  }
  const port = Number(server.getServerConn().split(':').pop());
  const url = `postgres://postgres:postgres@${host}:${port}/postgres?prepare=false`;
  const stateFile = stateDir ? path.join(stateDir, EMBEDDED_STATE_FILE) : null;
  if (stateFile) writeFileSync(stateFile, JSON.stringify({ url, pid: process.pid }));

  return {
    url,
    port,
    async close() {
      if (stateFile) rmSync(stateFile, { force: true });
      await server.stop();
      await handle.close();
    },
  };
}
