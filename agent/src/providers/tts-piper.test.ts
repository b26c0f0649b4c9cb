import { describe, expect, it } from 'vitest';
import { fakePiperVoice as voiceDir } from '../testing/fake-piper-voice';
import { PiperModelError, PiperTTS, readOnnxMetadata } from './tts-piper';

describe('readOnnxMetadata', () => {
  it('reads metadata entries past the graph', () => {
    expect(readOnnxMetadata(voiceDir({ sample_rate: '22050', comment: 'piper' }).model)).toEqual({
      sample_rate: '22050',
      comment: 'piper',
    });
  });
});

describe('PiperTTS.create', () => {
  const fix = 'npm run models -- pull piper-en_US-joe-medium';

  it('names the missing model and the fix', async () => {
    const creating = PiperTTS.create({ model: '/nonexistent/voice.onnx', tokens: '/nonexistent/tokens.txt', fix });
    await expect(creating).rejects.toBeInstanceOf(PiperModelError);
    await expect(creating).rejects.toThrow(/not found at \/nonexistent\/voice\.onnx.*pull piper-en_US-joe-medium/);
  });

  it('refuses an ONNX without sherpa metadata before the native loader can end the process', async () => {
    const creating = PiperTTS.create({ ...voiceDir({ sample_rate: '22050' }), fix });
    await expect(creating).rejects.toThrow(/lacks sherpa-onnx metadata \(model_type, comment, voice, has_espeak\)/);
  });
});

describe('PiperTTS.open', () => {
  const complete = { sample_rate: '22050', model_type: 'vits', comment: 'piper', voice: 'en-us', has_espeak: '1' };

  it('reads the sample rate from the metadata and loads nothing until asked', () => {
    const engine = PiperTTS.open({ ...voiceDir(complete, { espeakData: true }) });
    expect(engine.sampleRate).toBe(22050);
    expect(engine.loadStarted).toBe(false);
  });

  it('refuses a voice whose sample rate is not a positive whole number', () => {
    expect(() => PiperTTS.open({ ...voiceDir({ ...complete, sample_rate: 'fast' }, { espeakData: true }) })).toThrow(
      /no usable sample_rate/,
    );
  });
});
