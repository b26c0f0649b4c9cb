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

function cachedBinaryPath(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'avatar-adam', 'bin', `livekit-server-${LIVEKIT_SERVER_VERSION}`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the livekit-server binary, building it with `go install` (into a per-user cache shared by
 * every checkout) when Go is available and no binary is. Order: LIVEKIT_SERVER_BIN, the cache,
 * `livekit-server` on PATH, then a build.
 */
export async function ensureLivekitServer(log: (line: string) => void): Promise<string> {
  const fromEnv = process.env.LIVEKIT_SERVER_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new SetupError(`LIVEKIT_SERVER_BIN=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  const cached = cachedBinaryPath();
  if (isExecutable(cached)) return cached;
  const onPath = await run('sh', ['-c', 'command -v livekit-server']).then((r) => r.stdout.trim(), () => '');
  if (onPath) return onPath;

  const goVersion = await run('go', ['env', 'GOVERSION']).then((r) => r.stdout.trim(), () => null);
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
  const [major = 0, minor = 0] = goVersion.replace(/^go/, '').split('.').map(Number);
  if (major < MIN_GO[0]! || (major === MIN_GO[0] && minor < MIN_GO[1]!)) {
    throw new SetupError(`livekit-server v${LIVEKIT_SERVER_VERSION} needs Go ${MIN_GO.join('.')} or newer; found ${goVersion}.`);
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
