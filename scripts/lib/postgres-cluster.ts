import { execFile } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SetupError } from './livekit-binary';
import type { TPostgresInstall } from './postgres-install';
import { freeTcpPort, startProcess } from './processes';

const run = promisify(execFile);

export type TTempCluster = {
  /** postgres:// URL of the database `avatar` (pgvector created), as the superuser `postgres`. */
  url: string;
  port: number;
  stop(): Promise<void>;
};

/** initdb and postgres refuse to run as root; as root we run them as the `postgres` user (or nobody). */
async function runAsUser(): Promise<{ name: string; uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const ids = await run('id', ['-u', name]).then(async (u) => {
      const g = await run('id', ['-g', name]);
      return { name, uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
    }, () => null);
    if (ids) return ids;
  }
  throw new SetupError('Running as root and there is neither a postgres nor a nobody user to run Postgres as.');
}

/**
 * A throwaway Postgres cluster in a temp folder on a free port, tuned for tests (no fsync: its data
 * dies with it). `stop()` shuts it down and deletes the folder.
 */
export async function startTempCluster(install: TPostgresInstall, log: (line: string) => void): Promise<TTempCluster> {
  const user = await runAsUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-pg-'));
  chmodSync(dir, 0o755);
  let binDir = install.binDir;
  // A cache under root's home is not readable by the postgres user: give it a copy next to the data.
  if (user && install.root.startsWith(os.homedir())) {
    const copy = path.join(dir, 'install');
    cpSync(install.root, copy, { recursive: true });
    binDir = path.join(copy, path.relative(install.root, install.binDir));
  }
  const data = path.join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user) chownSync(data, user.uid, user.gid);
  const asUser = (command: string, args: string[]) =>
    user ? { command: 'runuser', args: ['-u', user.name, '--', command, ...args] } : { command, args };

  const initdb = asUser(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C']);
  await run(initdb.command, initdb.args, { maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string }) => {
    rmSync(dir, { recursive: true, force: true });
    throw new SetupError(`initdb failed:\n${error.stderr ?? String(error)}`);
  });

  const port = await freeTcpPort();
  const server = asUser(path.join(binDir, 'postgres'), [
    '-D', data, '-p', String(port), '-k', data,
    '-c', 'listen_addresses=127.0.0.1',
    // Every test file gets its own database with its own connection pool.
    '-c', 'max_connections=300',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
  ]);
  const proc = startProcess({ name: 'postgres', command: server.command, args: server.args });
  const stop = async () => {
    await proc.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await proc.waitForLine(/database system is ready to accept connections/, 30_000);
  } catch (error) {
    log(proc.tail().join('\n'));
    await stop();
    throw error;
  }

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/avatar`;
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`create database avatar`;
    const avatar = postgres(url, { max: 1, onnotice: () => {} });
    // Proves the extension is loadable before any test depends on it.
    await avatar`create extension if not exists vector`.finally(() => avatar.end({ timeout: 5 }));
  } catch (error) {
    await stop();
    throw new SetupError(`Postgres started but the test database could not be prepared: ${String(error)}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return { url, port, stop };
}
