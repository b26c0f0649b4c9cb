import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SetupError, cachedBinaryPath, goVersionForBuild } from './livekit-binary';
import { freeTcpPort, sleep, waitForHttp } from './processes';

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
  await goInstall({ what: `promtool ${PROMTOOL_MODULE_VERSION}`, pkg: PROMTOOL_PACKAGE, tags: PROMTOOL_TAGS, binary: 'promtool', cached, took: '~4 minutes on 2 cores', log });
  return cached;
}

/**
 * amtool of the Alertmanager release the stack runs (prom/alertmanager:v0.28.1). Debian
 * bookworm's (0.25) predates the webhook `url_file` field the config relies on, so it is built
 * with Go: about 20 s.
 */
export const AMTOOL_MODULE_VERSION = 'v0.28.1';
const AMTOOL_PACKAGE = `github.com/prometheus/alertmanager/cmd/amtool@${AMTOOL_MODULE_VERSION}`;

/** Finds or builds amtool (AMTOOL_BIN, the per-user cache, then `go install`). */
export async function ensureAmtool(log: (line: string) => void): Promise<string> {
  const cached = cachedBinaryPath(`amtool-${AMTOOL_MODULE_VERSION}`);
  const installed = installedBinary('AMTOOL_BIN', cached);
  if (installed) return installed;
  await goInstall({ what: `amtool ${AMTOOL_MODULE_VERSION}`, pkg: AMTOOL_PACKAGE, binary: 'amtool', cached, took: 'under a minute', log });
  return cached;
}

/** Finds or builds Alertmanager itself (ALERTMANAGER_BIN, the cache, then `go install`), for the delivery drill. */
export async function ensureAlertmanager(log: (line: string) => void): Promise<string> {
  const cached = cachedBinaryPath(`alertmanager-${AMTOOL_MODULE_VERSION}`);
  const installed = installedBinary('ALERTMANAGER_BIN', cached);
  if (installed) return installed;
  const pkg = `github.com/prometheus/alertmanager/cmd/alertmanager@${AMTOOL_MODULE_VERSION}`;
  await goInstall({ what: `alertmanager ${AMTOOL_MODULE_VERSION}`, pkg, binary: 'alertmanager', cached, took: 'under a minute', log });
  return cached;
}

type TAlertLabels = Record<string, string>;

/**
 * Runs Alertmanager on `configText` with the receivers' secret files pointing at webhooks served
 * here, fires a critical alert, the warning of the same name and instance, and an unrelated
 * warning, and returns what differs from: the critical at the critical webhook, the unrelated
 * warning at the warning webhook, the covered warning inhibited and delivered nowhere. Group
 * waits are shortened to 1 s in the copy; routing, inhibition and the secret files are as written.
 */
export async function alertmanagerDeliveryProblems(opts: { binary: string; configText: string; workDir: string }): Promise<string[]> {
  const received: Array<{ receiver: string; labels: TAlertLabels }> = [];
  const hooks = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      for (const alert of (JSON.parse(body) as { alerts: Array<{ labels: TAlertLabels }> }).alerts) {
        received.push({ receiver: req.url!.slice(1), labels: alert.labels });
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const hookPort = (hooks.address() as { port: number }).port;
  let config = opts.configText.replaceAll(/group_wait: \S+/g, 'group_wait: 1s');
  for (const [, secret, receiver] of opts.configText.matchAll(/(\/run\/secrets\/alert_webhook_(\w+))/g)) {
    const file = path.join(opts.workDir, `alert_webhook_${receiver}`);
    writeFileSync(file, `http://127.0.0.1:${hookPort}/${receiver}\n`);
    config = config.replaceAll(secret!, file);
  }
  writeFileSync(path.join(opts.workDir, 'alertmanager.yml'), config);
  const port = await freeTcpPort();
  const base = `http://127.0.0.1:${port}`;
  const am = spawn(opts.binary, [
    `--config.file=${path.join(opts.workDir, 'alertmanager.yml')}`,
    `--storage.path=${path.join(opts.workDir, 'alertmanager-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ], { stdio: 'ignore' });
  const fire = (labels: TAlertLabels[]) =>
    fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(labels.map((l) => ({ labels: l }))) });
  const critical = { alertname: 'DeliveryDrill', severity: 'critical', instance: 'a' };
  const covered = { ...critical, severity: 'warning' };
  const other = { alertname: 'DeliveryDrillOther', severity: 'warning', instance: 'a' };
  const seen = (receiver: string, labels: TAlertLabels) => received.some((r) => r.receiver === receiver && r.labels.alertname === labels.alertname && r.labels.severity === labels.severity);
  try {
    await waitForHttp(`${base}/-/ready`, 15_000, () => am.exitCode === null);
    // The critical first: the inhibitor must hold it before the covered warning's group is flushed.
    await fire([critical]);
    await fire([covered, other]);
    const inhibited = async () => {
      const alerts = (await (await fetch(`${base}/api/v2/alerts`)).json()) as Array<{ labels: TAlertLabels; status: { inhibitedBy: string[] } }>;
      return alerts.some((a) => a.labels.severity === 'warning' && a.labels.alertname === covered.alertname && a.status.inhibitedBy.length > 0);
    };
    for (let i = 0; i < 50 && !(seen('critical', critical) && seen('warning', other)); i++) await sleep(200);
    return [
      ...(seen('critical', critical) ? [] : ['a critical alert did not reach the critical webhook']),
      ...(seen('warning', other) ? [] : ['a warning alert did not reach the warning webhook']),
      ...((await inhibited()) ? [] : ['a warning was not inhibited while the critical alert of its name and instance fired']),
      ...received.filter((r) => r.labels.alertname === covered.alertname && r.labels.severity === 'warning').map((r) => `the inhibited warning was delivered to ${r.receiver}`),
      ...received.filter((r) => (r.receiver === 'critical') !== (r.labels.severity === 'critical')).map((r) => `${r.labels.alertname} (${r.labels.severity}) was delivered to the ${r.receiver} webhook`),
    ];
  } finally {
    // Awaited: it writes its state on the way out, into a folder the caller then removes.
    const exited = new Promise((resolve) => (am.exitCode === null ? am.once('exit', resolve) : resolve(null)));
    am.kill();
    await exited;
    hooks.close();
  }
}

/** `go install pkg` into a temp GOBIN, then the binary into the cache (atomically, by rename). */
async function goInstall(opts: { what: string; pkg: string; tags?: string; binary: string; cached: string; took: string; log: (line: string) => void }): Promise<void> {
  const goVersion = await goBuildOrExplain(opts.what);
  opts.log(`building ${opts.what} with ${goVersion} (first time only, ${opts.took})…`);
  const gobin = mkdtempSync(path.join(os.tmpdir(), `${opts.binary}-build-`));
  const started = Date.now();
  try {
    await run('go', ['install', ...(opts.tags ? ['-tags', opts.tags] : []), opts.pkg], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stderr?: string }) => {
      throw new SetupError(`go install ${opts.pkg} failed:\n${error.stderr ?? String(error)}`);
    });
    mkdirSync(path.dirname(opts.cached), { recursive: true });
    copyFileSync(path.join(gobin, opts.binary), `${opts.cached}.partial`);
    renameSync(`${opts.cached}.partial`, opts.cached);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  opts.log(`${opts.what} built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${opts.cached}`);
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
