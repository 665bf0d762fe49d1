// Ink's own Output class (ink/build/output.js), which fast-output.ts falls back to. The module name is an
// alias: scripts/ink-output-plugin.mjs resolves it when bundling, vitest.config.ts in tests.
declare module 'ink-original-output' {
  export default class Output {
    width: number;
    height: number;
    constructor(options: { width: number; height: number });
    write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
    clip(clip: { x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined }): void;
    unclip(): void;
    get(): { output: string; height: number };
  }
}
