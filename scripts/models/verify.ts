import path from 'node:path';
import { sha256File } from '../../agent/src/models/hash';
import { readInstalledRecord, writeInstalledRecord } from '../../agent/src/models/installed';
import type { TManifestEntry } from '../../agent/src/models/manifest';
import { venvPython } from '../../agent/src/models/paths';
import { run } from './python';

export type TVerifyResult = { status: 'ok' | 'missing' | 'corrupt'; problems: string[] };

/**
 * Re-hashes every installed file of a model against installed.json and the manifest. Damaged files
 * are written into installed.json's `corrupt` list, so `resolveModel` refuses them until re-pulled.
 */
export async function verifyEntry(entry: TManifestEntry, root: string): Promise<TVerifyResult> {
  const dir = path.join(root, entry.id);
  const read = await readInstalledRecord(dir);
  if (!read.ok) return read.reason === 'absent' ? { status: 'missing', problems: [] } : { status: 'corrupt', problems: [read.detail] };
  const record = read.record;
  const problems: string[] = [];
  if (entry.kind === 'runtime') {
    const imports = entry.imports.join(', ');
    await run(venvPython(root), ['-c', `import ${imports}`], { quiet: true }).catch(() => problems.push(`python cannot import ${imports}`));
  } else {
    const expected = [
      ...entry.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
      ...entry.derived.map((d) => ({ path: d.path, sha256: record.files.find((f) => f.path === d.path)?.sha256 })),
    ];
    for (const file of expected) {
      const actual = await sha256File(path.join(dir, file.path)).catch(() => 'missing');
      if (actual !== file.sha256) problems.push(`${file.path}: ${actual === 'missing' ? 'missing' : 'sha256 mismatch'}`);
    }
  }
  const corrupt = problems.map((p) => p.split(':')[0] ?? p);
  if (corrupt.join() !== record.corrupt.join()) await writeInstalledRecord(dir, { ...record, corrupt });
  return { status: problems.length ? 'corrupt' : 'ok', problems };
}
