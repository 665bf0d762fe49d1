// Token estimates: the rough count before a request, and the calibration that makes the next estimate match
// what the server counted for almost the same request.
import { describe, expect, it } from 'vitest';
import { estimateMessage, estimateRequest, estimateTokens, TokenCalibrator } from '../../src/context/tokens.ts';
import type { Message, ModelRequest } from '../../src/types.ts';

const request = (messages: Message[]): ModelRequest => ({ system: 'You are helpful.', messages, tools: [{ name: 'Read', description: 'Reads a file.', parameters: { type: 'object' } }] });

describe('token estimates', () => {
  it('counts ASCII at about four characters a token and CJK text denser', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a'.repeat(400))).toBe(100);
    // 100 Chinese characters are far more than 25 tokens in any tokenizer.
    expect(estimateTokens('你'.repeat(100))).toBeGreaterThanOrEqual(60);
  });

  it('counts reasoning and tool call arguments of assistant messages', () => {
    const plain: Message = { role: 'assistant', content: 'ok' };
    const full: Message = { role: 'assistant', content: 'ok', reasoning: 'r'.repeat(400), toolCalls: [{ id: 'c', name: 'Read', arguments: JSON.stringify({ file_path: 'x'.repeat(400) }) }] };
    expect(estimateMessage(full) - estimateMessage(plain)).toBeGreaterThan(200);
  });

  it('calibrates against the real count of the last request', () => {
    const calibrator = new TokenCalibrator();
    const history: Message[] = [{ role: 'user', content: 'word '.repeat(2000) }];
    const raw = calibrator.estimate(request(history));
    expect(raw).toBe(estimateRequest(request(history)));
    // The server counted 30% more than the estimate: the next estimate of a slightly longer request follows.
    calibrator.observe(Math.round(raw * 1.3));
    history.push({ role: 'assistant', content: 'short answer' });
    const next = calibrator.estimate(request(history));
    expect(next / estimateRequest(request(history))).toBeCloseTo(1.3, 1);
  });

  it('ignores counts that cannot be right and bounds the ratio', () => {
    const calibrator = new TokenCalibrator();
    calibrator.estimate(request([{ role: 'user', content: 'hello '.repeat(100) }]));
    calibrator.observe(0);
    expect(calibrator.ratio).toBe(1);
    calibrator.observe(1_000_000);
    expect(calibrator.ratio).toBe(4);
  });
});
