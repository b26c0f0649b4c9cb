import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { INSTALLED_FILE } from './paths';

/** `<modelsDir>/<id>/installed.json`: what was installed, and the hash of every file on disk. */
export const ZInstalledRecord = z.object({
  id: z.string(),
  installedAt: z.string(),
  source: z.string(),
  files: z.array(
    z.object({
      path: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      bytes: z.number().int().nonnegative(),
      derived: z.boolean().default(false),
    }),
  ),
  /** Pinned requirements, for runtime entries. */
  requirements: z.array(z.string()).optional(),
  /** Files a later `verify` found damaged; a model with any is never loaded. */
  corrupt: z.array(z.string()).default([]),
});
export type TInstalledRecord = z.infer<typeof ZInstalledRecord>;

export type TReadInstalled =
  | { ok: true; record: TInstalledRecord }
  | { ok: false; reason: 'absent' | 'unreadable'; detail: string };

export async function readInstalledRecord(modelDir: string): Promise<TReadInstalled> {
  const file = path.join(modelDir, INSTALLED_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'absent', detail: file };
    throw error;
  }
  try {
    const parsed = ZInstalledRecord.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: true, record: parsed.data };
    return { ok: false, reason: 'unreadable', detail: `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: `${file}: ${(error as Error).message}` };
  }
}

/** Written via a temp file and rename, so a crash never leaves half a record. */
export async function writeInstalledRecord(modelDir: string, record: TInstalledRecord): Promise<void> {
  const file = path.join(modelDir, INSTALLED_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}
