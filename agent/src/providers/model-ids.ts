/**
 * Ids and paths of the local engines, in a module with no engine imports: the worker's supervisor
 * and the CLIs plan providers without loading llama.cpp, onnxruntime or sherpa-onnx.
 */
export const WHISPER_MODEL_ID = 'whisper-tiny.en-ct2';
export const WHISPER_RUNTIME_ID = 'faster-whisper-runtime';
export const PIPER_MODEL_ID = 'piper-en_US-joe-medium';
export const SMOLLM2_MODEL_ID = 'smollm2-135m-instruct-q4_1';
export const MINILM_MODEL_ID = 'all-minilm-l6-v2';
/** Debian's `espeak-ng-data` package: Piper voices phonemise with espeak-ng. */
export const DEBIAN_ESPEAK_DATA_DIR = '/usr/lib/x86_64-linux-gnu/espeak-ng-data';
