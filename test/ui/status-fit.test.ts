// A narrow terminal keeps the status line's tokens and cost in view: the least needed parts go first.
import { describe, expect, it } from 'vitest';
import { fitStatus, joinStatus, type StatusPart } from '../../src/ui/status-fit.ts';

const parts: StatusPart[] = [
  { text: 'default mode', priority: 9 },
  { text: '(shift+tab)', priority: 0, attached: true },
  { text: 'sandboxed', priority: 4 },
  { text: 'MCP 1/2', priority: 3 },
  { text: 'glm-4.6', priority: 6 },
  { text: '(images: glm-5v-turbo)', priority: 1, attached: true },
  { text: 'zai', priority: 2 },
  { text: 'ctx 11k (5%)', priority: 5 },
  { text: '11k tokens · $0.0082', priority: 8 },
];

describe('fitStatus', () => {
  it('keeps every part where they fit, joined as the REPL shows them', () => {
    const line = joinStatus(fitStatus(parts, 200));
    expect(line).toBe('default mode (shift+tab) · sandboxed · MCP 1/2 · glm-4.6 (images: glm-5v-turbo) · zai · ctx 11k (5%) · 11k tokens · $0.0082');
  });

  it('drops the hint, then the vision model, then the provider, and keeps the cost', () => {
    const full = joinStatus(parts).length;
    expect(joinStatus(fitStatus(parts, full - 1))).toBe('default mode · sandboxed · MCP 1/2 · glm-4.6 (images: glm-5v-turbo) · zai · ctx 11k (5%) · 11k tokens · $0.0082');
    expect(joinStatus(fitStatus(parts, 88))).toBe('default mode · sandboxed · MCP 1/2 · glm-4.6 · zai · ctx 11k (5%) · 11k tokens · $0.0082');
    expect(joinStatus(fitStatus(parts, 87))).toBe('default mode · sandboxed · MCP 1/2 · glm-4.6 · ctx 11k (5%) · 11k tokens · $0.0082');
    expect(joinStatus(fitStatus(parts, 80))).toBe('default mode · sandboxed · glm-4.6 · ctx 11k (5%) · 11k tokens · $0.0082');
    for (const width of [80, 60, 40, 35]) {
      const line = joinStatus(fitStatus(parts, width));
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line).toContain('$0.0082');
    }
  });

  it('always keeps the mode, even when nothing else fits', () => {
    expect(joinStatus(fitStatus(parts, 5))).toBe('default mode');
  });
});
