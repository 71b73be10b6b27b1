import { describe, expect, it } from 'vitest';
import { samplingDefaults } from '../../src/backend/sampling.js';

describe('samplingDefaults', () => {
  it('Qwen3-Coder: 0.7 / 0.8 plus top_k 20 and repetition penalty under each server’s field name', () => {
    for (const model of ['qwen3-coder:30b', 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8', 'qwen3-coder-30b-a3b-instruct@q4_k_m']) {
      expect(samplingDefaults(model, 'vllm')).toEqual({ temperature: 0.7, top_p: 0.8, extra: { top_k: 20, repetition_penalty: 1.05 } });
      expect(samplingDefaults(model, 'llamacpp')).toEqual({ temperature: 0.7, top_p: 0.8, extra: { top_k: 20, repeat_penalty: 1.05 } });
      expect(samplingDefaults(model, 'ollama')).toEqual({ temperature: 0.7, top_p: 0.8, extra: {} });
      expect(samplingDefaults(model)).toEqual({ temperature: 0.7, top_p: 0.8, extra: {} });
    }
  });

  it('always gives temperature and top_p, also for unknown models (Ollama /v1 would use 1.0)', () => {
    for (const model of ['some-finetune', 'llama3.1:8b', 'devstral:24b', 'deepseek-r1:14b', 'gemma3:12b', 'gpt-oss:20b', '']) {
      const s = samplingDefaults(model, 'ollama');
      expect(typeof s.temperature).toBe('number');
      expect(typeof s.top_p).toBe('number');
      expect(s.extra).toEqual({});
    }
  });

  it('uses each family’s recommended values', () => {
    expect(samplingDefaults('devstral-small-2505', 'vllm')).toMatchObject({ temperature: 0.15 });
    expect(samplingDefaults('qwen3-30b-a3b-thinking-2507', 'vllm')).toEqual({ temperature: 0.6, top_p: 0.95, extra: { top_k: 20 } });
    expect(samplingDefaults('some-finetune', 'vllm')).toEqual({ temperature: 0.6, top_p: 0.95, extra: {} });
  });
});
