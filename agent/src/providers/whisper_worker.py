"""Long-lived faster-whisper worker for WhisperSTT (agent/src/providers/stt-whisper.ts).

Usage: whisper_worker.py MODEL_DIR THREADS LANGUAGE [WINDOW_SECONDS]

Protocol: JSON lines. After loading it prints {"ready": true, "load_ms": N}. Each request
{"id": N, "pcm16": "<base64 16 kHz mono int16 little-endian>"} (with "window": 30 for the full window
whatever the length) gets exactly one reply,
{"id": N, "text": "...", "logprob": F, "window": S, "ms": N} or {"id": N, "error": "..."}.
stdout carries only protocol lines; diagnostics go to stderr. The worker exits when stdin closes.

Short utterances are encoded in a window shorter than Whisper's 30 s (WINDOW_SECONDS, default 15):
faster-whisper always pads to 30 s, and the encoder's cost grows with the window, so a 3 s reply
cost ~0.35 s on two cores where a 15 s window costs ~0.15 s with the same word error rate on the
engine bench. This calls CTranslate2 directly because faster-whisper has no option for it. A
window cut short can make Whisper repeat itself; such a result (no end token within a length
that fits the audio, or a transcript that compresses like a loop) is decoded again in the full
window, as is any utterance too long for the short one.
"""

import base64
import json
import sys
import time

SAMPLE_RATE = 16000
FULL_WINDOW_S = 30
# Silence after the speech inside a short window: Whisper learnt to end a transcript on silence.
TRAILING_SILENCE_S = 1.0
# faster-whisper's own threshold for a decoding that loops (gzip ratio of the text).
MAX_COMPRESSION_RATIO = 2.4


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def full_window(model, pcm, language):
    """faster-whisper's own transcription: 30 s windows, temperature fallback."""
    segments, _ = model.transcribe(
        pcm,
        language=language,
        beam_size=1,
        without_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=False,  # the voice pipeline's Silero VAD has already cut the utterance
    )
    segments = list(segments)
    text = " ".join(s.text.strip() for s in segments).strip()
    # Mean log-probability of the tokens: real speech sits near -0.1; what Whisper makes
    # up from a hum or a cough is far lower, which lets the agent ignore it mid-sentence.
    logprob = min((s.avg_logprob for s in segments), default=None)
    return text, logprob


class ShortWindow:
    """Greedy decoding of one utterance in a window of `seconds` (see the module docstring)."""

    def __init__(self, model, language, seconds):
        import numpy as np
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

        self.np = np
        self.compression_ratio = get_compression_ratio
        self.model = model
        self.seconds = seconds
        self.tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language=language
        )
        self.prompt = list(self.tokenizer.sot_sequence) + [self.tokenizer.no_timestamps]
        self.suppress = get_suppressed_tokens(self.tokenizer, [-1])

    def fits(self, pcm):
        return self.seconds < FULL_WINDOW_S and len(pcm) / SAMPLE_RATE + TRAILING_SILENCE_S <= self.seconds

    def transcribe(self, pcm):
        """(text, logprob), or None when the result looks like a loop."""
        np = self.np
        speech_s = len(pcm) / SAMPLE_RATE
        padded = np.concatenate([pcm, np.zeros(int(self.seconds * SAMPLE_RATE) - len(pcm) + 160, dtype=np.float32)])
        frames = int(self.seconds * 100)
        features = self.model.feature_extractor(padded)[:, : frames - frames % 2]
        encoded = self.model.encode(features)
        # Room for fast speech full of figures; a loop runs past it and is caught below.
        max_length = min(224, len(self.prompt) + 20 + int(speech_s * 10))
        result = self.model.model.generate(
            encoded,
            [self.prompt],
            beam_size=1,
            max_length=max_length,
            return_scores=True,
            suppress_blank=True,
            suppress_tokens=self.suppress,
        )[0]
        tokens = [t for t in result.sequences_ids[0] if t < self.tokenizer.eot]
        if len(self.prompt) + len(tokens) >= max_length:
            return None
        text = self.tokenizer.decode(tokens).strip()
        if text and self.compression_ratio(text) > MAX_COMPRESSION_RATIO:
            return None
        # As faster-whisper: the score is the length-normalised sum of the tokens' log-probabilities,
        # averaged here over the tokens and the end token.
        logprob = result.scores[0] * len(tokens) / (len(tokens) + 1) if tokens else None
        return text, logprob


def main():
    model_dir, threads, language = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    window_s = float(sys.argv[4]) if len(sys.argv) > 4 else 15.0
    started = time.monotonic()
    import numpy as np
    from faster_whisper import WhisperModel

    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
    short = ShortWindow(model, language, window_s)
    # The first call allocates buffers; pay that before the first caller speaks.
    list(model.transcribe(np.zeros(16000, dtype=np.float32), language=language)[0])
    if short.fits(np.zeros(16000, dtype=np.float32)):
        short.transcribe(np.zeros(16000, dtype=np.float32))
    reply({"ready": True, "load_ms": round((time.monotonic() - started) * 1000)})

    for line in sys.stdin:
        if not line.strip():
            continue
        req_id = None
        try:
            req = json.loads(line)
            req_id = req["id"]
            t = time.monotonic()
            pcm = np.frombuffer(base64.b64decode(req["pcm16"]), dtype="<i2").astype(np.float32) / 32768.0
            result, window = None, None
            if short.fits(pcm) and req.get("window") != FULL_WINDOW_S:
                try:
                    result, window = short.transcribe(pcm), short.seconds
                except Exception as error:  # the full window still answers
                    print(f"short window failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            if result is None:
                result, window = full_window(model, pcm, language), FULL_WINDOW_S
            text, logprob = result
            ms = round((time.monotonic() - t) * 1000)
            reply({"id": req_id, "text": text, "logprob": logprob, "window": window, "ms": ms})
        except Exception as error:  # one bad request must not end the worker
            reply({"id": req_id, "error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
