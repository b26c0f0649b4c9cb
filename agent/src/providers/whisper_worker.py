"""Long-lived faster-whisper worker for WhisperSTT (agent/src/providers/stt-whisper.ts).

Protocol: JSON lines. After loading it prints {"ready": true, "load_ms": N}. Each request
{"id": N, "pcm16": "<base64 16 kHz mono int16 little-endian>"} gets exactly one reply,
{"id": N, "text": "...", "ms": N} or {"id": N, "error": "..."}. stdout carries only
protocol lines; diagnostics go to stderr. The worker exits when stdin closes.
"""

import base64
import json
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    model_dir, threads, language = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    started = time.monotonic()
    import numpy as np
    from faster_whisper import WhisperModel

    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
    # The first call allocates buffers; pay that before the first caller speaks.
    list(model.transcribe(np.zeros(16000, dtype=np.float32), language=language)[0])
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
            reply({"id": req_id, "text": text, "logprob": logprob, "ms": round((time.monotonic() - t) * 1000)})
        except Exception as error:  # one bad request must not end the worker
            reply({"id": req_id, "error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
