import { type TPatience, ZPatience } from '@avatar-adam/db/scenario-input';

export type TVoiceArgs = {
  conversations: number;
  turns: number;
  verbose: boolean;
  /** hum: 400 ms of "Hmm." (voiced ~290 ms to the VAD); short-hum: 300 ms of it (~160 ms: a cough's length); noise: a 350 ms burst. */
  falseSound: 'hum' | 'short-hum' | 'noise';
  json?: string;
  /** Agent settings of the baseline series (`--baseline KEY=VALUE`, repeatable); none = no baseline series. */
  baseline?: Record<string, string>;
  /** `--baseline-patience MIN/MAX`: the baseline series plays its role-plays with this endpointing patience (ms) instead of the seeded one. */
  baselinePatience?: TPatience;
};

export const VOICE_USAGE =
  'usage: tsx scripts/bench/voice.ts [--conversations N (default 3)] [--turns T (default 4)] [--false-sound hum|short-hum|noise] [--verbose] [--json <path>]\n' +
  '         [--baseline KEY=VALUE …]  run the same conversations again on a second stack whose agent gets these variables\n' +
  '                                   (e.g. --baseline AGENT_STT_SPECULATE_MS=0), and compare the two series\n' +
  '         [--baseline-patience MIN/MAX]  the baseline series plays its role-plays with this patience (shortest/longest wait, ms;\n' +
  '                                   e.g. 500/6000); alone it runs a baseline series that differs only in it';

/** An environment variable name as the agent's config spells them. */
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** Set by the test stack for its own ports, keys and database: a baseline changing them would not reach a working agent. */
const STACK_OWNED = new Set(['DATABASE_URL', 'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'AGENT_NAME', 'AGENT_HTTP_PORT', 'AGENT_METRICS_PORT']);

/** Parses one `--baseline` value, `KEY=VALUE` (an empty VALUE is allowed: the agent's config reads it as unset). */
export function parseBaselineSetting(text: string, usage = VOICE_USAGE): [string, string] {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq) : text;
  if (eq <= 0 || !ENV_NAME.test(key)) {
    throw new Error(`--baseline takes KEY=VALUE with KEY an environment variable name (A–Z, 0–9, _), e.g. AGENT_STT_SPECULATE_MS=0; got "${text}"\n${usage}`);
  }
  if (STACK_OWNED.has(key)) throw new Error(`--baseline cannot set ${key}: the test stack sets it for its own processes\n${usage}`);
  return [key, text.slice(eq + 1)];
}

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
      if (v !== 'hum' && v !== 'short-hum' && v !== 'noise') throw new Error(`--false-sound takes hum, short-hum or noise; got "${v}"\n${VOICE_USAGE}`);
      out.falseSound = v;
    } else if (flag === '--baseline') {
      const [key, setting] = parseBaselineSetting(value());
      // Two values for one variable would leave the comparison ambiguous.
      if (out.baseline && key in out.baseline) throw new Error(`--baseline sets ${key} twice\n${VOICE_USAGE}`);
      out.baseline = { ...out.baseline, [key]: setting };
    } else if (flag === '--baseline-patience') {
      const v = value();
      const m = /^(\d+)\/(\d+)$/.exec(v);
      // The bounds the scenario builder accepts.
      const parsed = m && ZPatience.safeParse({ minEndpointingDelayMs: Number(m[1]), maxEndpointingDelayMs: Number(m[2]) });
      if (!parsed?.success) {
        throw new Error(`--baseline-patience takes MIN/MAX in ms, 100–5000 / 500–20000 with MAX ≥ MIN, e.g. 500/6000; got "${v}"\n${VOICE_USAGE}`);
      }
      out.baselinePatience = parsed.data;
    } else if (flag === '--help' || flag === '-h') throw new Error(VOICE_USAGE);
    else throw new Error(`unknown argument "${arg}"\n${VOICE_USAGE}`);
  }
  return out;
}
