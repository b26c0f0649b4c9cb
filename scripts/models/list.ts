import { MANIFEST, manifestEntryBytes } from '../../agent/src/models/manifest';
import { resolveModel, type TResolvedModel } from '../../agent/src/models/resolve';
import { describePlan } from '../../agent/src/providers/config';
import { ProviderConfigError } from '../../agent/src/providers/config';
import { resolveProviders, upgradeHints } from '../../agent/src/providers/plan';

const formatSize = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`);

/** The `models list` table, then which model each capability will use. */
export async function renderList(root: string): Promise<string> {
  const statuses = new Map<string, TResolvedModel>();
  for (const entry of MANIFEST) statuses.set(entry.id, await resolveModel(entry.id, { dir: root }));
  const rows = MANIFEST.map((entry) => [
    entry.id,
    entry.purpose,
    `${entry.kind === 'runtime' ? '~' : ''}${formatSize(manifestEntryBytes(entry))}`,
    entry.licence,
    statuses.get(entry.id)?.status ?? 'missing',
    entry.engine,
  ]);
  const header = ['ID', 'PURPOSE', 'SIZE', 'LICENCE', 'STATUS', 'ENGINE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const lines = [`models in ${root}`, line(header), ...rows.map(line), ''];
  // What the agent will use: the same plan it logs at start (settings from this shell's env).
  try {
    const { plan } = await resolveProviders();
    for (const capability of ['stt', 'llm', 'tts', 'embeddings'] as const) lines.push(describePlan(plan[capability]));
    lines.push('VAD: Silero, shipped in @livekit/agents-plugin-silero (npm)');
    for (const hint of upgradeHints(plan)) lines.push(`hint: ${hint}`);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    lines.push(`The agent cannot start: ${error.message}`);
  }
  return lines.join('\n');
}
