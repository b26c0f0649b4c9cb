import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { EMBEDDED_STATE_FILE, openPglite } from './client';
import { AppError } from './errors';
import { migrate } from './migrate';
import { ExchangeQueue } from './embedded-queue';
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
  /** With dataDir 'memory': start from this dumped data folder (tests, see testing.ts). */
  loadDataDir?: Blob;
} = {}): Promise<EmbeddedDatabase> {
  const stateDir = opts.dataDir === 'memory' ? null : (opts.dataDir ?? defaultDataDir());
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const handle = await openPglite(stateDir ? path.join(stateDir, 'pglite') : 'memory', { loadDataDir: opts.loadDataDir });
  await migrate(handle);

  const host = opts.host ?? '127.0.0.1';
  const queue = new ExchangeQueue(handle.pglite);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    // pglite-socket's handler speaks the wire protocol; our queue decides what runs when.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 54329, host, () => resolve((server.address() as net.AddressInfo).port));
    });
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
  const url = `postgres://postgres:postgres@${host}:${port}/postgres?prepare=false`;
  const stateFile = stateDir ? path.join(stateDir, EMBEDDED_STATE_FILE) : null;
  if (stateFile) writeFileSync(stateFile, JSON.stringify({ url, pid: process.pid }));

  return {
    url,
    port,
    async close() {
      if (stateFile) rmSync(stateFile, { force: true });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const h of handlers) void h.detach(true);
      });
      await handle.close();
    },
  };
}
