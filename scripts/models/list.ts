import { MANIFEST, manifestEntryBytes, type TModelPurpose } from '../../agent/src/models/manifest';
import { resolveModel, type TResolvedModel } from '../../agent/src/models/resolve';

const CAPABILITIES: { purpose: TModelPurpose; label: string; fallback: string }[] = [
  { purpose: 'stt', label: 'STT', fallback: 'pocketsphinx (Debian) or cloud STT if configured' },
  { purpose: 'llm', label: 'LLM', fallback: 'cloud LLM if configured' },
  { purpose: 'tts', label: 'TTS', fallback: 'flite (Debian)' },
  { purpose: 'embeddings', label: 'Embeddings', fallback: 'full-text search only' },
  { purpose: 'vad', label: 'VAD', fallback: 'Silero VAD shipped in @livekit/agents-plugin-silero (npm)' },
];

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
  const installed = (id: string) => statuses.get(id)?.status === 'installed';
  for (const cap of CAPABILITIES) {
    const runtimes = MANIFEST.filter((e) => e.kind === 'runtime' && e.purpose === cap.purpose);
    const runtimeReady = runtimes.every((r) => installed(r.id));
    const model = MANIFEST.find((e) => e.kind === 'model' && e.purpose === cap.purpose && installed(e.id));
    if (!MANIFEST.some((e) => e.purpose === cap.purpose)) lines.push(`${cap.label}: ${cap.fallback}, nothing to pull`);
    else if (model && runtimeReady) lines.push(`${cap.label}: ${model.id} (${model.engine})`);
    else if (model) lines.push(`${cap.label}: ${model.id} installed but runtime missing (${runtimes.map((r) => r.id).join(', ')}) → fallback: ${cap.fallback}`);
    else lines.push(`${cap.label}: none installed → fallback: ${cap.fallback}`);
  }
  return lines.join('\n');
}
