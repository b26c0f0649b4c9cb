export const BENCH_PARTS = ['stt', 'tts', 'llm', 'embeddings'] as const;
export type TBenchPart = (typeof BENCH_PARTS)[number];

export type TBenchArgs = { json: string; only: Set<TBenchPart> };

export const DEFAULT_JSON_PATH = '.bench/engines.json';
export const USAGE = 'usage: tsx scripts/bench/engines.ts [--json <path>] [--only stt,tts,llm,embeddings]';

function isPart(name: string): name is TBenchPart {
  return (BENCH_PARTS as readonly string[]).includes(name);
}

/** Parses `--json <path>` / `--json=<path>` and `--only a,b` / `--only=a,b`; throws on anything else. */
export function parseBenchArgs(argv: readonly string[]): TBenchArgs {
  let json = DEFAULT_JSON_PATH;
  let only = new Set<TBenchPart>(BENCH_PARTS);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--json') json = value();
    else if (flag === '--only') {
      const names = value().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      const unknown = names.filter((n) => !isPart(n));
      if (unknown.length > 0 || names.length === 0) {
        throw new Error(`--only takes ${BENCH_PARTS.join(',')}; got "${unknown.join(',') || 'nothing'}"\n${USAGE}`);
      }
      only = new Set(names.filter(isPart));
    } else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return { json, only };
}
