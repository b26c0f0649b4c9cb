import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The agent worker's entry (the supervisor, and the module every job process imports). */
export const AGENT_ENTRY = path.join(root, 'agent', 'src', 'main.ts');
export const AGENT_BUNDLE = path.join(root, 'agent', 'dist', 'main.mjs');
/** The worker's shared voice process (agent/src/voice-server), started by the supervisor. */
export const VOICE_SERVER_ENTRY = path.join(root, 'agent', 'src', 'voice-server', 'voice-server-main.ts');

/**
 * The agent worker runs from one bundled ES module instead of through tsx. Under tsx every
 * process (the supervisor and each job process) carries the TypeScript loader thread and the
 * transformed sources: a job process held 388 MB before loading any engine, 192 MB bundled.
 *
 * Only our own code (agent + the `@avatar-adam/db` workspace package) is bundled; every npm
 * package stays external and is loaded from node_modules as usual (native addons, WASM and
 * package-relative files keep working).
 *
 * Split into chunks at every dynamic `import()`: esbuild hoists a module's external imports to
 * the top of its output file, so in one file the supervisor and every warm job process loaded
 * all the packages any code path needs (the job queue, metrics, tracing, hosted engines...).
 * With chunks a package loads with the code that uses it.
 */
export async function buildAgentBundle(): Promise<{ file: string; ms: number }> {
  const started = performance.now();
  const result = await build({
    entryPoints: [AGENT_ENTRY, VOICE_SERVER_ENTRY],
    outdir: path.dirname(AGENT_BUNDLE),
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalPackages, sourceRelativeUrls],
    write: false,
  });
  // Each file is written beside and renamed into place, chunks (named by content) before the
  // entry: a worker starting meanwhile never reads half a file or an entry without its chunks.
  const chunksDir = path.join(path.dirname(AGENT_BUNDLE), 'chunks');
  await mkdir(chunksDir, { recursive: true });
  // The entries (main.mjs, voice-server-main.mjs) are the .mjs files outside the chunks folder.
  const isEntry = (file: string) => file.endsWith('.mjs') && path.dirname(file) !== chunksDir;
  const entryLast = [...result.outputFiles].sort((a, b) => Number(isEntry(a.path)) - Number(isEntry(b.path)));
  for (const out of entryLast) {
    const temp = `${out.path}.${process.pid}.tmp`;
    await writeFile(temp, out.contents);
    await rename(temp, out.path);
  }
  await removeStaleChunks(chunksDir, new Set(result.outputFiles.map((o) => o.path)));
  return { file: AGENT_BUNDLE, ms: Math.round(performance.now() - started) };
}

/**
 * Chunks of earlier builds are removed once they are an hour old: a worker still running an
 * earlier build loads its chunks lazily (a session's code when the session starts) and must find them.
 */
async function removeStaleChunks(dir: string, current: Set<string>): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    if (current.has(file) || name.endsWith('.tmp')) continue;
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs < hourAgo) await rm(file, { force: true });
  }
}

/** Bare specifiers are npm packages → external; workspace packages (`@avatar-adam/*`) are ours → bundled. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@avatar-adam/') || path.isAbsolute(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Source files find their neighbours (the Whisper worker script, migrations, seed documents, the
 * models folder, forked child scripts) through `import.meta.url`. In a bundle that would be the
 * bundle's URL, so each module's `import.meta.url` is replaced by its own source file's URL.
 * The entry keeps the real one: it compares it with `process.argv[1]` and hands it to the worker
 * as the module job processes import, which must be the bundle.
 */
const sourceRelativeUrls: Plugin = {
  name: 'source-relative-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (args.path === AGENT_ENTRY || !source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};
