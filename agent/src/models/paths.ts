import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>` — this file lives at `<repo>/agent/src/models/paths.ts`. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Where models are installed: `AVATAR_ADAM_MODELS_DIR`, else `<repo>/.models`. Takes the env as a
 * parameter so the CLI, the engines and tests resolve the same way.
 */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.AVATAR_ADAM_MODELS_DIR?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(REPO_ROOT, '.models');
}

export const INSTALLED_FILE = 'installed.json';

/** The Python venv shared by the runtimes and the install-time converters. */
export function venvDir(dir: string): string {
  return path.join(dir, '.venv');
}

export function venvPython(dir: string): string {
  return path.join(venvDir(dir), 'bin', 'python');
}

export function pullCommand(id: string): string {
  return `npm run models -- pull ${id}`;
}
