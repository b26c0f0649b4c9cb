import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readInstalledRecord, type TInstalledRecord } from './installed';
import { findManifestEntry, type TManifestEntry, type TModelEntry, type TRuntimeEntry } from './manifest';
import { modelsDir, pullCommand, venvPython } from './paths';

export type TResolvedModel =
  | {
      status: 'installed';
      id: string;
      dir: string;
      /** Absolute path of every installed file, keyed by its manifest path (runtimes: `python`). */
      files: Record<string, string>;
    }
  | { status: 'missing' | 'corrupt'; id: string; reason: string; fix: string };

export type TResolveOptions = { dir?: string };

/**
 * Finds an installed model and checks it cheaply: every file present with the size and hash the
 * manifest expects, as recorded in installed.json at install time. A full re-hash is
 * `npm run models -- verify`'s job (it marks damaged files in installed.json, which this reads).
 * Throws only for an id the manifest does not know — that is a programming error.
 */
export async function resolveModel(id: string, options: TResolveOptions = {}): Promise<TResolvedModel> {
  const entry = findManifestEntry(id);
  if (!entry) throw new Error(`unknown model id "${id}"`);
  const root = options.dir ?? modelsDir();
  const dir = path.join(root, id);
  const read = await readInstalledRecord(dir);
  if (!read.ok) {
    const dirExists = await sizeOf(dir);
    if (read.reason === 'absent' && dirExists === undefined) return missing(id, 'not installed');
    return corrupt(id, read.reason === 'absent' ? 'install incomplete (no installed.json)' : read.detail);
  }
  const problem = await (entry.kind === 'runtime'
    ? checkRuntime(entry, read.record, root)
    : checkModel(entry, read.record, dir));
  if (problem) return corrupt(id, problem);
  return { status: 'installed', id, dir, files: installedPaths(entry, read.record, dir, root) };
}

async function checkModel(entry: TModelEntry, record: TInstalledRecord, dir: string): Promise<string | undefined> {
  if (record.corrupt.length > 0) return `damaged: ${record.corrupt.join(', ')}`;
  for (const file of entry.files) {
    const recorded = record.files.find((f) => f.path === file.path);
    if (!recorded || recorded.sha256 !== file.sha256 || recorded.bytes !== file.bytes) {
      return `${file.path}: installed.json does not match the manifest`;
    }
    const size = await sizeOf(path.join(dir, file.path));
    if (size === undefined) return `${file.path}: missing`;
    if (size !== file.bytes) return `${file.path}: ${size} bytes, expected ${file.bytes}`;
  }
  for (const derived of entry.derived) {
    const recorded = record.files.find((f) => f.path === derived.path && f.derived);
    if (!recorded) return `${derived.path}: not recorded in installed.json`;
    const size = await sizeOf(path.join(dir, derived.path));
    if (size !== recorded.bytes) return `${derived.path}: ${size ?? 'missing'}, expected ${recorded.bytes} bytes`;
  }
  return undefined;
}

async function checkRuntime(entry: TRuntimeEntry, record: TInstalledRecord, root: string): Promise<string | undefined> {
  if (record.corrupt.length > 0) return `damaged: ${record.corrupt.join(', ')}`;
  if ((record.requirements ?? []).join(' ') !== entry.requirements.join(' ')) {
    return 'installed with different pinned versions';
  }
  if ((await sizeOf(venvPython(root))) === undefined) return `${venvPython(root)}: missing`;
  return undefined;
}

function installedPaths(entry: TManifestEntry, record: TInstalledRecord, dir: string, root: string) {
  if (entry.kind === 'runtime') return { python: venvPython(root) };
  return Object.fromEntries(record.files.map((f) => [f.path, path.join(dir, f.path)]));
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const missing = (id: string, reason: string): TResolvedModel => ({ status: 'missing', id, reason, fix: pullCommand(id) });
const corrupt = (id: string, reason: string): TResolvedModel => ({ status: 'corrupt', id, reason, fix: pullCommand(id) });
