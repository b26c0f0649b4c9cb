import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SEVERITY_RECEIVERS,
  alertNames,
  alertSeverities,
  alertmanagerSecretProblems,
  composeProblems,
  dashboardQueries,
  disableAlert,
  envExampleProblems,
  prometheusAlertingProblems,
  queriesAsRules,
  scrapeTargetProblems,
  type TComposeProject,
} from './deploy-checks';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const healthy = { test: ['CMD', 'true'] };

describe('composeProblems', () => {
  const good: TComposeProject = {
    services: {
      redis: { image: 'redis:7.4-alpine', restart: 'unless-stopped', healthcheck: healthy },
      agent: { build: {}, restart: 'unless-stopped', healthcheck: healthy, volumes: [{ type: 'bind', source: '/cfg', target: '/etc/x' }] },
      migrate: { build: {}, restart: 'no' },
    },
  };

  it('accepts a stack that follows the rules', () => {
    expect(composeProblems(good, 'x-app-env:\n  LIVEKIT_API_SECRET: ${LIVEKIT_API_SECRET:?set it}\n', () => true)).toEqual([]);
  });

  it('names each broken rule: unpinned image, no restart, no health check, a fixed port on a replica, a missing mount', () => {
    const bad: TComposeProject = {
      services: {
        redis: { image: 'redis:latest', restart: 'unless-stopped', healthcheck: healthy },
        grafana: { image: 'grafana/grafana', healthcheck: healthy, restart: 'always' },
        web: { build: {}, restart: 'no', healthcheck: healthy },
        agent: { build: {}, restart: 'unless-stopped', healthcheck: healthy, ports: ['9464:9464'], volumes: [{ type: 'bind', source: '/missing', target: '/x' }] },
        livekit: { image: 'livekit/livekit-server:v1.13.5', restart: 'unless-stopped' },
      },
    };
    expect(composeProblems(bad, '', (file) => file !== '/missing')).toEqual([
      'redis: image redis:latest is not pinned to a release tag',
      'grafana: image grafana/grafana is not pinned to a release tag',
      'web: restart is "no", expected unless-stopped or always',
      'agent: is scaled with replicas, so it must have no container_name and no host ports',
      'agent: mounts /missing, which does not exist',
      'livekit: has no health check',
    ]);
  });

  it('flags a secret written into the file, not one taken from the environment', () => {
    const text = ['  POSTGRES_PASSWORD: hunter2hunter2', '  METRICS_TOKEN: ${METRICS_TOKEN:?}', '  NEXTAUTH_SECRET: "${NEXTAUTH_SECRET}"'].join('\n');
    expect(composeProblems({ services: {} }, text, () => true)).toEqual([
      'docker-compose.yml:1: POSTGRES_PASSWORD has a literal value; take it from the environment',
    ]);
  });
});

describe('envExampleProblems', () => {
  it('lists variables the stack reads but the example lacks, and stale ones', () => {
    const compose = 'a: ${POSTGRES_PASSWORD:?x}\nb: ${LOG_LEVEL:-info}\n';
    expect(envExampleProblems(compose, '# c\nPOSTGRES_PASSWORD=x\nOLD_VAR=\n')).toEqual([
      '.env.example does not list LOG_LEVEL, which docker-compose.yml reads',
      '.env.example lists OLD_VAR, which docker-compose.yml never reads',
    ]);
  });

  it('counts the variables behind Compose secrets as read', () => {
    const compose = 'secrets:\n  hook:\n    environment: ALERT_HOOK_URL\nservices:\n  a:\n    environment: *app-env\n';
    expect(envExampleProblems(compose, 'ALERT_HOOK_URL=x\n')).toEqual([]);
    expect(envExampleProblems(compose, '')).toEqual(['.env.example does not list ALERT_HOOK_URL, which docker-compose.yml reads']);
  });

  it('holds for the repository’s docker-compose.yml and .env.example', () => {
    const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');
    expect(envExampleProblems(read('docker-compose.yml'), read('.env.example'))).toEqual([]);
  });
});

describe('alert rule helpers', () => {
  const rules = [
    'groups:',
    '  - name: g',
    '    rules:',
    '      - alert: First',
    '        expr: |',
    '          sum(rate(x[5m]))',
    '            > 1',
    '        for: 5m',
    '      - alert: Second',
    '        expr: up == 0',
    '        for: 2m',
  ].join('\n');

  it('finds the alerts and disables exactly one, keeping the rest of the rule', () => {
    expect(alertNames(rules)).toEqual(['First', 'Second']);
    const disabled = disableAlert(rules, 'First');
    expect(disabled).toContain('      - alert: First\n        expr: vector(0) > 1\n        for: 5m');
    expect(disabled).toContain('        expr: up == 0');
    expect(disableAlert(rules, 'Second')).toContain('      - alert: Second\n        expr: vector(0) > 1\n        for: 2m');
  });
});

describe('dashboard queries', () => {
  it('collects nested panels’ queries with Grafana’s intervals made concrete, as parseable rules', () => {
    const queries = dashboardQueries({
      panels: [
        { title: 'A', targets: [{ expr: 'rate(x_total[$__rate_interval])' }] },
        { title: 'Row', panels: [{ title: 'B', targets: [{ expr: 'sum(y{q="a"})' }, {}] }] },
      ],
    });
    expect(queries).toEqual([
      { panel: 'A', expr: 'rate(x_total[5m])' },
      { panel: 'B', expr: 'sum(y{q="a"})' },
    ]);
    expect(queriesAsRules(queries)).toContain('- record: dashboard:query_2\n        expr: "sum(y{q=\\"a\\"})"');
  });
});

describe('scrapeTargetProblems', () => {
  it('reports targets and DNS names that are not services', () => {
    const config = 'targets: ["web:3000", "localhost:9090"]\nnames: ["agent", "jobs"]\ntargets: ["livekt:6789"]';
    expect(scrapeTargetProblems(config, ['web', 'agent', 'livekit'])).toEqual([
      'prometheus.yml scrapes livekt, which is not a service of docker-compose.yml',
      'prometheus.yml scrapes jobs, which is not a service of docker-compose.yml',
    ]);
  });
});

describe('alert delivery helpers', () => {
  const rules = [
    '      - alert: Down',
    '        expr: up == 0',
    '        labels:',
    '          severity: page',
    '        annotations:',
    '          summary: down',
    '      - alert: Slow',
    '        labels:',
    '          severity: "ticket"',
    '      - alert: Unlabelled',
    '        expr: vector(1)',
  ].join('\n');

  it('reads each alert’s severity and knows which receiver it must reach', () => {
    expect(alertSeverities(rules)).toEqual([
      { alert: 'Down', severity: 'page' },
      { alert: 'Slow', severity: 'ticket' },
      { alert: 'Unlabelled', severity: '' },
    ]);
    expect(alertSeverities(rules).map((a) => SEVERITY_RECEIVERS[a.severity])).toEqual(['critical', 'warning', undefined]);
  });

  it('holds for the repository’s rules: every alert has a severity with a receiver', () => {
    const text = readFileSync(path.join(ROOT, 'deploy', 'prometheus', 'rules', 'avatar-adam.yml'), 'utf8');
    const severities = alertSeverities(text);
    expect(severities.length).toBeGreaterThan(0);
    expect(severities.filter((a) => !SEVERITY_RECEIVERS[a.severity])).toEqual([]);
  });

  it('requires Prometheus’s alerting section to name the Alertmanager', () => {
    const config = 'alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ["alertmanager:9093"]\n\nscrape_configs:\n';
    expect(prometheusAlertingProblems(config, 'alertmanager:9093')).toEqual([]);
    expect(prometheusAlertingProblems('scrape_configs:\n  - targets: ["alertmanager:9093"]\n', 'alertmanager:9093')).toEqual([
      'prometheus.yml has no alerting section sending to alertmanager:9093',
    ]);
  });

  it('reports a secret file the config reads that the service does not mount', () => {
    const config = 'url_file: /run/secrets/hook_a\nurl_file: /run/secrets/hook_b\nurl_file: /run/secrets/hook_a\n';
    const service = { secrets: [{ source: 'hook_a', target: '/run/secrets/hook_a' }] };
    expect(alertmanagerSecretProblems(config, service)).toEqual(['alertmanager.yml reads /run/secrets/hook_b, which the alertmanager service does not mount']);
    expect(alertmanagerSecretProblems(config, { secrets: [{ source: 'hook_a' }, { source: 'hook_b' }] })).toEqual([]);
  });
});
