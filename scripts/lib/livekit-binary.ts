import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The LiveKit server release this project is built and tested against. */
export const LIVEKIT_SERVER_VERSION = '1.13.5';
const GO_PACKAGE = `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_SERVER_VERSION}`;
const MIN_GO = [1, 26];

export class SetupError extends Error {}

/** Per-user cache shared by every checkout: built binaries survive a fresh clone. */
export function cachedBinaryPath(name: string): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'avatar-adam', 'bin', name);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An installed binary: `envVar`'s path (which must be executable), the cache, then PATH; else null. */
export async function findInstalledBinary(opts: { envVar: string; cached: string; command: string }): Promise<string | null> {
  const fromEnv = process.env[opts.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new SetupError(`${opts.envVar}=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  if (isExecutable(opts.cached)) return opts.cached;
  const onPath = await run('sh', ['-c', `command -v ${opts.command}`]).then((r) => r.stdout.trim(), () => '');
  return onPath || null;
}

/** The Go toolchain's version if it is at least 1.26, null when Go is missing; throws when too old. */
export async function goVersionForBuild(what: string): Promise<string | null> {
  const goVersion = await run('go', ['env', 'GOVERSION']).then((r) => r.stdout.trim(), () => null);
  if (!goVersion) return null;
  const [major = 0, minor = 0] = goVersion.replace(/^go/, '').split('.').map(Number);
  if (major < MIN_GO[0]! || (major === MIN_GO[0] && minor < MIN_GO[1]!)) {
    throw new SetupError(`${what} needs Go ${MIN_GO.join('.')} or newer; found ${goVersion}.`);
  }
  return goVersion;
}

/**
 * Finds the livekit-server binary, building it with `go install` (into a per-user cache shared by
 * every checkout) when Go is available and no binary is. Order: LIVEKIT_SERVER_BIN, the cache,
 * `livekit-server` on PATH, then a build.
 */
export async function ensureLivekitServer(log: (line: string) => void): Promise<string> {
  const cached = cachedBinaryPath(`livekit-server-${LIVEKIT_SERVER_VERSION}`);
  const installed = await findInstalledBinary({ envVar: 'LIVEKIT_SERVER_BIN', cached, command: 'livekit-server' });
  if (installed) return installed;

  const goVersion = await goVersionForBuild(`livekit-server v${LIVEKIT_SERVER_VERSION}`);
  if (!goVersion) {
    throw new SetupError(
      [
        'livekit-server is not installed and Go is not available to build it.',
        `  Either install Go ${MIN_GO.join('.')}+ (https://go.dev/dl/) and run "npm run livekit:install",`,
        `  or download livekit-server v${LIVEKIT_SERVER_VERSION} from https://github.com/livekit/livekit/releases`,
        '  and set LIVEKIT_SERVER_BIN=/path/to/livekit-server.',
      ].join('\n'),
    );
  }
  log(`building livekit-server v${LIVEKIT_SERVER_VERSION} with ${goVersion} (first time only, a few minutes)…`);
  const gobin = mkdtempSync(path.join(os.tmpdir(), 'livekit-build-'));
  try {
    await run('go', ['install', GO_PACKAGE], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stderr?: string }) => {
      throw new SetupError(`go install ${GO_PACKAGE} failed:\n${error.stderr ?? String(error)}`);
    });
    mkdirSync(path.dirname(cached), { recursive: true });
    copyFileSync(path.join(gobin, 'server'), cached);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  log(`livekit-server installed at ${cached}`);
  return cached;
}
