export type TVoiceArgs = { conversations: number; turns: number; verbose: boolean; falseSound: 'hum' | 'noise'; json?: string };

export const VOICE_USAGE =
  'usage: tsx scripts/bench/voice.ts [--conversations N (default 3)] [--turns T (default 4)] [--false-sound hum|noise] [--verbose] [--json <path>]';

/** Parses `--flag value` / `--flag=value`; throws the usage on anything else. */
export function parseVoiceArgs(argv: readonly string[]): TVoiceArgs {
  const out: TVoiceArgs = { conversations: 3, turns: 4, verbose: false, falseSound: 'hum' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new Error(`${flag} needs a value\n${VOICE_USAGE}`);
      return v;
    };
    const count = (min: number, max: number) => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} takes a whole number from ${min} to ${max}; got "${v}"\n${VOICE_USAGE}`);
      return n;
    };
    if (flag === '--conversations') out.conversations = count(1, 50);
    else if (flag === '--turns') out.turns = count(1, 20);
    else if (flag === '--verbose' || flag === '-v') out.verbose = true;
    else if (flag === '--json') out.json = value();
    else if (flag === '--false-sound') {
      const v = value();
      if (v !== 'hum' && v !== 'noise') throw new Error(`--false-sound takes hum or noise; got "${v}"\n${VOICE_USAGE}`);
      out.falseSound = v;
    } else if (flag === '--help' || flag === '-h') throw new Error(VOICE_USAGE);
    else throw new Error(`unknown argument "${arg}"\n${VOICE_USAGE}`);
  }
  return out;
}
