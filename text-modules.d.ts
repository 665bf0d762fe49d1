// Markdown files (tool descriptions, prompts) are imported as strings; esbuild and vitest load them as text.
declare module '*.md' {
  const text: string;
  export default text;
}
