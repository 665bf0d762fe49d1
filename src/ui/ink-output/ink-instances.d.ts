// Ink's map of its live instances by stdout (ink/build/instances.js). The module name is an alias:
// scripts/ink-output-plugin.mjs resolves it when bundling, vitest.config.ts in tests.
declare module 'ink-instances' {
  const instances: WeakMap<object, { lastOutputToRender?: string }>;
  export default instances;
}
