import { mkdtemp, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInstalledRecord } from './installed';
import { findManifestEntry, type TModelEntry } from './manifest';
import { modelsDir } from './paths';
import { resolveModel } from './resolve';

const ID = 'whisper-tiny.en-ct2';
const entry = findManifestEntry(ID) as TModelEntry;
let root: string;

/** Files of the manifest's sizes (sparse, so cheap); the resolver checks sizes and installed.json only. */
async function installFixture(overrides: { bytes?: Record<string, number>; corrupt?: string[] } = {}) {
  const dir = path.join(root, ID);
  await mkdir(dir, { recursive: true });
  for (const file of entry.files) {
    await writeFile(path.join(dir, file.path), '');
    await truncate(path.join(dir, file.path), overrides.bytes?.[file.path] ?? file.bytes);
  }
  await writeInstalledRecord(dir, {
    id: ID,
    installedAt: new Date().toISOString(),
    source: 'test',
    files: entry.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, derived: false })),
    corrupt: overrides.corrupt ?? [],
  });
  return dir;
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'models-resolve-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveModel', () => {
  it('reports a model that is not there as missing, with the command that installs it', async () => {
    const result = await resolveModel(ID, { dir: root });
    expect(result).toMatchObject({ status: 'missing', fix: `npm run models -- pull ${ID}` });
  });

  it('returns absolute paths of every file of an installed model', async () => {
    const dir = await installFixture();
    const result = await resolveModel(ID, { dir: root });
    expect(result.status).toBe('installed');
    if (result.status !== 'installed') return;
    expect(result.files['model.bin']).toBe(path.join(dir, 'model.bin'));
    expect(Object.keys(result.files).sort()).toEqual(entry.files.map((f) => f.path).sort());
  });

  it('refuses a truncated (partial) file', async () => {
    await installFixture({ bytes: { 'model.bin': 1000 } });
    const result = await resolveModel(ID, { dir: root });
    expect(result).toMatchObject({ status: 'corrupt', fix: `npm run models -- pull ${ID}` });
    if (result.status === 'corrupt') expect(result.reason).toContain('model.bin');
  });

  it('refuses a model that verify marked as damaged', async () => {
    await installFixture({ corrupt: ['tokenizer.json'] });
    expect(await resolveModel(ID, { dir: root })).toMatchObject({ status: 'corrupt' });
  });

  it('refuses a directory without installed.json (an interrupted or hand-made install)', async () => {
    await mkdir(path.join(root, ID));
    expect(await resolveModel(ID, { dir: root })).toMatchObject({ status: 'corrupt' });
  });

  it('refuses an installed.json that recorded other bytes than the manifest pins', async () => {
    const dir = await installFixture();
    await writeFile(path.join(dir, 'installed.json'), JSON.stringify({ id: ID, installedAt: 'x', source: 'x', files: [] }));
    expect(await resolveModel(ID, { dir: root })).toMatchObject({ status: 'corrupt' });
  });

  it('throws for an id the manifest does not know', async () => {
    await expect(resolveModel('no-such-model', { dir: root })).rejects.toThrow('unknown model');
  });
});

describe('modelsDir', () => {
  it('honours AVATAR_ADAM_MODELS_DIR and defaults to <repo>/.models', () => {
    expect(modelsDir({ AVATAR_ADAM_MODELS_DIR: '/srv/models' })).toBe('/srv/models');
    expect(modelsDir({ AVATAR_ADAM_MODELS_DIR: '' })).toMatch(/\.models$/);
  });
});
