/**
 * The deployment rules that no schema states, as pure functions over the files' text and the
 * Compose project that compose-check resolved (scripts/check-deploy.ts runs them).
 */

export type TComposeService = {
  image?: string;
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
  container_name?: string;
  ports?: unknown[];
  volumes?: Array<{ type: string; source?: string; target: string }>;
  secrets?: Array<{ source: string; target?: string }>;
};
export type TComposeProject = { services: Record<string, TComposeService> };

/** Runs once and exits: no restart policy or health check expected. */
const ONE_SHOT = new Set(['migrate']);
/**
 * The SIP bridge image ships no shell or HTTP client to probe its health port with; the job
 * worker serves no HTTP and exits when it fails, so its restart policy is its health check.
 */
const NO_HEALTHCHECK = new Set(['migrate', 'sip', 'jobs']);
/** Scaled with --scale: a fixed name or host port would make a second replica fail to start. */
const REPLICATED = ['agent', 'jobs'];

export function composeProblems(project: TComposeProject, composeText: string, exists: (file: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    if (service.image && (!/:[^/]+$/.test(service.image) || service.image.endsWith(':latest'))) {
      problems.push(`${name}: image ${service.image} is not pinned to a release tag`);
    }
    if (!ONE_SHOT.has(name) && !['unless-stopped', 'always'].includes(service.restart ?? '')) {
      problems.push(`${name}: restart is "${service.restart ?? ''}", expected unless-stopped or always`);
    }
    if (!NO_HEALTHCHECK.has(name) && (!service.healthcheck?.test?.length || service.healthcheck.disable)) {
      problems.push(`${name}: has no health check`);
    }
    if (REPLICATED.includes(name) && (service.container_name || service.ports?.length)) {
      problems.push(`${name}: is scaled with replicas, so it must have no container_name and no host ports`);
    }
    for (const volume of service.volumes ?? []) {
      if (volume.type === 'bind' && volume.source && !exists(volume.source)) {
        problems.push(`${name}: mounts ${volume.source}, which does not exist`);
      }
    }
  }
  // A literal value for a secret-looking key means a secret was committed; references are fine.
  for (const [index, line] of composeText.split('\n').entries()) {
    const match = /^\s*([A-Z0-9_]*(?:SECRET|PASSWORD|TOKEN|API_KEY)[A-Z0-9_]*):\s*(\S.*)$/.exec(line);
    if (match && !match[2]!.startsWith('${') && !match[2]!.startsWith('"${')) {
      problems.push(`docker-compose.yml:${index + 1}: ${match[1]} has a literal value; take it from the environment`);
    }
  }
  return problems;
}

/**
 * Every variable the Compose file reads — `${VAR}` references and the `environment: VAR` sources
 * of its secrets — is documented in .env.example, and nothing else is.
 */
export function envExampleProblems(composeText: string, envExampleText: string): string[] {
  const referenced = new Set([
    ...[...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!),
    ...[...composeText.matchAll(/^\s+environment:\s*([A-Z0-9_]+)\s*$/gm)].map((m) => m[1]!),
  ]);
  const documented = new Set(
    envExampleText.split('\n').map((l) => /^([A-Z0-9_]+)=/.exec(l.trim())?.[1]).filter((v): v is string => Boolean(v)),
  );
  return [
    ...[...referenced].filter((v) => !documented.has(v)).map((v) => `.env.example does not list ${v}, which docker-compose.yml reads`),
    ...[...documented].filter((v) => !referenced.has(v)).map((v) => `.env.example lists ${v}, which docker-compose.yml never reads`),
  ];
}

type TPanel = { title?: string; targets?: Array<{ expr?: string }>; panels?: TPanel[] };

/** Every PromQL query of a Grafana dashboard, with Grafana's interval variables made concrete. */
export function dashboardQueries(dashboard: { panels?: TPanel[] }): Array<{ panel: string; expr: string }> {
  const out: Array<{ panel: string; expr: string }> = [];
  const visit = (panels: TPanel[] = []) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (!target.expr) continue;
        const expr = target.expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replaceAll('$__range', '1h');
        out.push({ panel: panel.title ?? '(untitled)', expr });
      }
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return out;
}

/** The queries as recording rules, so `promtool check rules` parses each one. */
export function queriesAsRules(queries: Array<{ expr: string }>): string {
  const rules = queries.map((q, i) => `      - record: dashboard:query_${i + 1}\n        expr: ${JSON.stringify(q.expr)}`);
  return `groups:\n  - name: dashboard-queries\n    rules:\n${rules.join('\n')}\n`;
}

/** The alert names of a rules file, in order. */
export function alertNames(rulesText: string): string[] {
  return [...rulesText.matchAll(/^\s*- alert:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
}

/**
 * The rules file with one alert's expression replaced by one that never fires. Its unit tests
 * must then fail: that proves they assert the alert fires, not just that the file parses.
 */
export function disableAlert(rulesText: string, alert: string): string {
  const lines = rulesText.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*- alert:\\s*${alert}\\s*$`).test(l));
  if (start < 0) throw new Error(`no alert ${alert}`);
  const exprAt = lines.findIndex((l, i) => i > start && /^\s*expr:/.test(l));
  const indent = /^(\s*)/.exec(lines[exprAt]!)![1]!.length;
  let end = exprAt + 1;
  while (end < lines.length && (lines[end]!.trim() === '' || /^(\s*)/.exec(lines[end]!)![1]!.length > indent)) end++;
  return [...lines.slice(0, exprAt), `${' '.repeat(indent)}expr: vector(0) > 1`, ...lines.slice(end)].join('\n');
}

/** Scrape targets (`host:port`) and DNS names of the Prometheus config that are not Compose services. */
export function scrapeTargetProblems(prometheusText: string, services: string[]): string[] {
  const hosts = [
    ...[...prometheusText.matchAll(/targets:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(',').map((t) => t.trim().replace(/"/g, '').split(':')[0]!)),
    ...[...prometheusText.matchAll(/names:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(',').map((t) => t.trim().replace(/"/g, ''))),
  ].filter((host) => host && host !== 'localhost');
  return hosts.filter((h) => !services.includes(h)).map((h) => `prometheus.yml scrapes ${h}, which is not a service of docker-compose.yml`);
}

/**
 * The receiver of deploy/alertmanager/alertmanager.yml that each severity label must reach. The
 * rules say `page` and `ticket`; `critical` and `warning` are the same two levels by their usual names.
 */
export const SEVERITY_RECEIVERS: Readonly<Record<string, 'critical' | 'warning'>> = {
  page: 'critical',
  critical: 'critical',
  ticket: 'warning',
  warning: 'warning',
};

/** Each alert of a rules file with its `severity` label ('' when it has none). */
export function alertSeverities(rulesText: string): Array<{ alert: string; severity: string }> {
  const out: Array<{ alert: string; severity: string }> = [];
  for (const line of rulesText.split('\n')) {
    const alert = /^\s*- alert:\s*(\S+)\s*$/.exec(line)?.[1];
    if (alert) out.push({ alert, severity: '' });
    const severity = /^\s+severity:\s*["']?([\w-]+)["']?\s*$/.exec(line)?.[1];
    if (severity && out.length) out[out.length - 1]!.severity = severity;
  }
  return out;
}

/** Prometheus hands its alerts to the stack's Alertmanager (the `alerting:` section). */
export function prometheusAlertingProblems(prometheusText: string, target: string): string[] {
  const section = /^alerting:\n((?:[ \t]+.*\n|\n)*)/m.exec(prometheusText)?.[1] ?? '';
  return section.includes(`"${target}"`) ? [] : [`prometheus.yml has no alerting section sending to ${target}`];
}

/** Every `/run/secrets/<name>` the Alertmanager config reads is a secret its service mounts there. */
export function alertmanagerSecretProblems(configText: string, service: TComposeService | undefined): string[] {
  const mounted = new Set((service?.secrets ?? []).map((s) => s.target ?? `/run/secrets/${s.source}`));
  const read = [...configText.matchAll(/(\/run\/secrets\/[\w.-]+)/g)].map((m) => m[1]!);
  return [...new Set(read)].filter((file) => !mounted.has(file)).map((file) => `alertmanager.yml reads ${file}, which the alertmanager service does not mount`);
}
