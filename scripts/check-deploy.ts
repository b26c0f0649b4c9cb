// Validates the production stack without a Docker engine (`npm run check:deploy`):
// - docker-compose.yml loaded by compose-go (what `docker compose config` runs) with .env.example
//   as the only variables, plus the rules no schema states (scripts/lib/deploy-checks.ts);
// - deploy/prometheus: `promtool check config`, `check rules`, `test rules`, and for every alert a
//   run with that alert disabled, which must fail (its tests really prove it fires);
// - deploy/alertmanager: `amtool check-config`, every alert's severity routed to its receiver
//   (`amtool config routes test`), and Alertmanager itself run once: both webhooks reached through
//   their secret files, a warning inhibited while the critical alert of its name fires;
// - deploy/livekit/livekit.yaml parsed by livekit-server itself;
// - deploy/grafana: dashboards parse, use the provisioned datasource, and every query parses.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as checks from './lib/deploy-checks';
import { AMTOOL_MODULE_VERSION, alertmanagerDeliveryProblems, ensureAlertmanager, ensureAmtool, ensureComposeCheck, ensurePromtool } from './lib/deploy-tools';
import { SetupError, ensureLivekitServer } from './lib/livekit-binary';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const at = (...parts: string[]) => path.join(ROOT, ...parts);
const read = (...parts: string[]) => readFileSync(at(...parts), 'utf8');
const log = (line: string) => process.stderr.write(`[check:deploy] ${line}\n`);

type TResult = { name: string; problems: string[] };
const results: TResult[] = [];

async function check(name: string, body: () => Promise<string[]> | string[]): Promise<void> {
  const started = Date.now();
  const problems = await Promise.resolve()
    .then(body)
    .catch((error: { stderr?: string; stdout?: string; message?: string }) => [
      `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || String(error.message ?? error),
    ]);
  results.push({ name, problems });
  log(`${problems.length ? 'FAIL' : 'ok  '} ${name} (${Date.now() - started} ms)`);
  for (const p of problems) log(`     ${p}`);
}

const promtool = await ensurePromtool(log).catch(failSetup);
const amtool = await ensureAmtool(log).catch(failSetup);
const alertmanager = await ensureAlertmanager(log).catch(failSetup);
const composeCheck = await ensureComposeCheck(ROOT, log).catch(failSetup);
const livekit = await ensureLivekitServer(log).catch(failSetup);
const work = mkdtempSync(path.join(os.tmpdir(), 'check-deploy-'));

try {
  const composeText = read('docker-compose.yml');
  let project: checks.TComposeProject = { services: {} };
  await check('docker-compose.yml loads (compose-go, variables from .env.example)', async () => {
    const { stdout } = await run(composeCheck, ['-f', at('docker-compose.yml'), '-env-file', at('.env.example')], { maxBuffer: 16 << 20 });
    project = JSON.parse(stdout) as checks.TComposeProject;
    return [];
  });
  await check('docker-compose.yml: pinned images, restarts, health checks, replicas, mounts, no secrets', () =>
    checks.composeProblems(project, composeText, existsSync));
  await check('.env.example documents every variable docker-compose.yml reads', () =>
    checks.envExampleProblems(composeText, read('.env.example')));

  await check('livekit-server parses deploy/livekit/livekit.yaml; Prometheus scrapes its metrics port', async () => {
    // `ports` loads the config strictly (unknown keys fail) and prints the ports; it exits 0 either way.
    const lk = await run(livekit, ['--config', at('deploy', 'livekit', 'livekit.yaml'), '--keys', `check: ${'x'.repeat(32)}`, 'ports']);
    const output = `${lk.stdout}${lk.stderr}`;
    const problems = /7880 - HTTP service/.test(output) ? [] : [`livekit-server rejected the config: ${output.trim()}`];
    const port = /^prometheus_port:\s*(\d+)/m.exec(read('deploy', 'livekit', 'livekit.yaml'))?.[1];
    if (!port || !read('deploy', 'prometheus', 'prometheus.yml').includes(`livekit:${port}`)) {
      problems.push(`prometheus.yml does not scrape livekit:${port ?? '(no prometheus_port)'}`);
    }
    return problems;
  });

  // The config as mounted: the token file and the rules folder at their in-container paths.
  const token = path.join(work, 'metrics_token');
  writeFileSync(token, 'check-deploy-token\n');
  const prometheusText = read('deploy', 'prometheus', 'prometheus.yml');
  const config = path.join(work, 'prometheus.yml');
  writeFileSync(config, prometheusText.replaceAll('/run/secrets/metrics_token', token).replaceAll('/etc/prometheus/rules', at('deploy', 'prometheus', 'rules')));
  await check('promtool check config deploy/prometheus/prometheus.yml', async () => (await run(promtool, ['check', 'config', config]), []));
  await check('prometheus.yml scrapes only services of the stack', () =>
    checks.scrapeTargetProblems(prometheusText, Object.keys(project.services)));

  const rulesDir = at('deploy', 'prometheus', 'rules');
  const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith('.yml')).map((f) => path.join(rulesDir, f));
  const testFiles = readdirSync(at('deploy', 'prometheus', 'tests')).map((f) => at('deploy', 'prometheus', 'tests', f));
  await check('promtool check rules deploy/prometheus/rules', async () => (await run(promtool, ['check', 'rules', ...ruleFiles]), []));
  await check('promtool test rules deploy/prometheus/tests', async () => (await run(promtool, ['test', 'rules', ...testFiles]), []));
  await check('each alert\'s tests fail when that alert is disabled', async () => {
    // On a copy (tests name their rules by relative path), so the repository's files stay untouched.
    const copy = path.join(work, 'prometheus');
    cpSync(at('deploy', 'prometheus'), copy, { recursive: true });
    const copiedTests = testFiles.map((f) => path.join(copy, 'tests', path.basename(f)));
    const problems: string[] = [];
    for (const file of ruleFiles.map((f) => path.join(copy, 'rules', path.basename(f)))) {
      const text = readFileSync(file, 'utf8');
      for (const alert of checks.alertNames(text)) {
        writeFileSync(file, checks.disableAlert(text, alert));
        const failed = await run(promtool, ['test', 'rules', ...copiedTests]).then(() => false, () => true);
        if (!failed) problems.push(`no test notices ${alert} never firing`);
      }
      writeFileSync(file, text);
    }
    return problems;
  });

  const alertmanagerConfig = at('deploy', 'alertmanager', 'alertmanager.yml');
  await check('amtool check-config deploy/alertmanager/alertmanager.yml', async () => (await run(amtool, ['check-config', alertmanagerConfig]), []));
  await check('alertmanager service: pinned to amtool\'s release, mounts the secrets its config reads; Prometheus sends to it', () => {
    const service = project.services.alertmanager;
    const image = `prom/alertmanager:${AMTOOL_MODULE_VERSION}`;
    return [
      ...(service?.image === image ? [] : [`alertmanager service image is ${service?.image ?? '(none)'}, expected ${image} (the amtool checked with)`]),
      ...checks.alertmanagerSecretProblems(readFileSync(alertmanagerConfig, 'utf8'), service),
      ...checks.prometheusAlertingProblems(prometheusText, 'alertmanager:9093'),
    ];
  });
  await check('alertmanager.yml routes critical and warning alerts, and every rule\'s severity, to their receivers', async () => {
    const cases = [
      { alert: 'RouteCheckCritical', severity: 'critical' },
      { alert: 'RouteCheckWarning', severity: 'warning' },
      ...ruleFiles.flatMap((f) => checks.alertSeverities(readFileSync(f, 'utf8'))),
    ];
    const problems: string[] = [];
    for (const { alert, severity } of cases) {
      const expected = checks.SEVERITY_RECEIVERS[severity];
      if (!expected) {
        problems.push(`${alert}: severity "${severity}" is none of ${Object.keys(checks.SEVERITY_RECEIVERS).join(', ')}`);
        continue;
      }
      const { stdout } = await run(amtool, ['config', 'routes', 'test', `--config.file=${alertmanagerConfig}`, `severity=${severity}`, `alertname=${alert}`]);
      if (stdout.trim() !== expected) problems.push(`${alert} (severity=${severity}) goes to "${stdout.trim()}", expected "${expected}"`);
    }
    return problems;
  });
  await check('alertmanager delivers critical and warning alerts to their webhooks and inhibits a covered warning', () => {
    const workDir = path.join(work, 'alertmanager');
    mkdirSync(workDir);
    return alertmanagerDeliveryProblems({ binary: alertmanager, configText: readFileSync(alertmanagerConfig, 'utf8'), workDir });
  });

  const dashboards = readdirSync(at('deploy', 'grafana', 'dashboards')).filter((f) => f.endsWith('.json'));
  const datasources = read('deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml');
  for (const file of dashboards) {
    await check(`dashboard ${file}: JSON, datasource, every query parses (promtool)`, async () => {
      const dashboard = JSON.parse(read('deploy', 'grafana', 'dashboards', file)) as { uid?: string; panels?: [] };
      const uids = new Set([...JSON.stringify(dashboard).matchAll(/"uid":"([^"]+)"/g)].map((m) => m[1]!));
      uids.delete(dashboard.uid ?? '');
      const problems = [...uids].filter((uid) => !datasources.includes(`uid: ${uid}`)).map((uid) => `datasource uid ${uid} is not provisioned`);
      const queries = checks.dashboardQueries(dashboard);
      if (queries.length === 0) problems.push('has no queries');
      const rules = path.join(work, `${file}.rules.yml`);
      writeFileSync(rules, checks.queriesAsRules(queries));
      await run(promtool, ['check', 'rules', rules]);
      return problems;
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const failed = results.filter((r) => r.problems.length > 0).length;
process.stdout.write(`check:deploy: ${results.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;

function failSetup(error: unknown): never {
  log(`error: ${error instanceof SetupError ? error.message : String(error)}`);
  process.exit(1);
}
