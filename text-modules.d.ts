// Markdown files (tool descriptions, prompts) are imported as strings; esbuild and vitest load them as text.
declare module '*.md' {
  const text: string;
  export default text;
}

/** The package version, injected at build time (scripts/build.mjs) and in tests (vitest.config.ts). */
declare const GLM_VERSION: string;
