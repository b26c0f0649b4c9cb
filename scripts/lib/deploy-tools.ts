import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SetupError, cachedBinaryPath, goVersionForBuild } from './livekit-binary';

const run = promisify(execFile);

/**
 * promtool of the Prometheus release the stack runs (prom/prometheus:v3.16.0 is Go module
 * v0.316.0). Built without the cloud service discoveries (build tags), which halves the build:
 * the stack only uses static and DNS discovery.
 */
export const PROMTOOL_MODULE_VERSION = 'v0.316.0';
const PROMTOOL_PACKAGE = `github.com/prometheus/prometheus/cmd/promtool@${PROMTOOL_MODULE_VERSION}`;
const PROMTOOL_TAGS = 'remove_all_sd,enable_dns_sd';

/**
 * `envVar`'s path, else the cache. Not PATH: a promtool of another release may parse and test
 * rules differently from the Prometheus the stack runs.
 */
function installedBinary(envVar: string, cached: string): string | null {
  const fromEnv = process.env[envVar];
  const candidate = fromEnv || cached;
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    if (fromEnv) throw new SetupError(`${envVar}=${fromEnv} is not an executable file.`);
    return null;
  }
}

async function goBuildOrExplain(what: string): Promise<string> {
  const goVersion = await goVersionForBuild(what);
  if (!goVersion) throw new SetupError(`${what} is built with Go 1.26+, which is not installed (https://go.dev/dl/).`);
  return goVersion;
}

/** Finds or builds promtool (PROMTOOL_BIN, the per-user cache, then `go install`). */
export async function ensurePromtool(log: (line: string) => void): Promise<string> {
  const cached = cachedBinaryPath(`promtool-${PROMTOOL_MODULE_VERSION}`);
  const installed = installedBinary('PROMTOOL_BIN', cached);
  if (installed) return installed;
  const goVersion = await goBuildOrExplain(`promtool ${PROMTOOL_MODULE_VERSION}`);
  log(`building promtool ${PROMTOOL_MODULE_VERSION} with ${goVersion} (first time only, ~4 minutes on 2 cores)…`);
  const gobin = mkdtempSync(path.join(os.tmpdir(), 'promtool-build-'));
  const started = Date.now();
  try {
    await run('go', ['install', '-tags', PROMTOOL_TAGS, PROMTOOL_PACKAGE], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stderr?: string }) => {
      throw new SetupError(`go install ${PROMTOOL_PACKAGE} failed:\n${error.stderr ?? String(error)}`);
    });
    mkdirSync(path.dirname(cached), { recursive: true });
    copyFileSync(path.join(gobin, 'promtool'), `${cached}.partial`);
    renameSync(`${cached}.partial`, cached);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  log(`promtool built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${cached}`);
  return cached;
}

/**
 * Builds deploy/tools/compose-check (compose-go, the loader inside Docker Compose) from this
 * checkout. The cached binary is named by a hash of its sources, so an edit rebuilds it.
 */
export async function ensureComposeCheck(repoRoot: string, log: (line: string) => void): Promise<string> {
  const dir = path.join(repoRoot, 'deploy', 'tools', 'compose-check');
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(dir, file)));
  const cached = cachedBinaryPath(`compose-check-${hash.digest('hex').slice(0, 12)}`);
  const installed = installedBinary('COMPOSE_CHECK_BIN', cached);
  if (installed) return installed;
  const goVersion = await goBuildOrExplain('deploy/tools/compose-check');
  log(`building deploy/tools/compose-check with ${goVersion} (first time only, under a minute)…`);
  const started = Date.now();
  mkdirSync(path.dirname(cached), { recursive: true });
  await run('go', ['build', '-o', `${cached}.partial`, '.'], {
    cwd: dir,
    env: { ...process.env, CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stderr?: string }) => {
    throw new SetupError(`building deploy/tools/compose-check failed:\n${error.stderr ?? String(error)}`);
  });
  renameSync(`${cached}.partial`, cached);
  log(`compose-check built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${cached}`);
  return cached;
}
