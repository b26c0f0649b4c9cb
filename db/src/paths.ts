import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the nearest folder above `start` that holds turbo.json. */
export function findRepoRoot(start = process.cwd()): string {
  let dir = path.resolve(/* turbopackIgnore: true */ start);
  for (;;) {
    if (existsSync(path.join(dir, 'turbo.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/** Where embedded state (database files, secrets) lives; `.data/` at the repo root by default. */
export function dataDir(): string {
  return process.env.AVATAR_ADAM_DATA_DIR ?? path.join(findRepoRoot(), '.data');
}

/** The committed SQL migrations, next to this package's sources. */
// Built with path.join rather than `new URL('../migrations', import.meta.url)`: Next's bundler would
// try to resolve that URL as a module when web imports this package.
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
