// Runs every benchmark in bench/: the core numbers (start-up, one-shot, per-turn overhead, prompt size) and the
// REPL's rendering numbers (needs tmux).
await import('./core.mjs');
console.log('');
await import('./repl-render.mjs');
console.log('');
await import('./hook.mjs');
console.log('');
await import('./shell-decision.mjs');
console.log('');
await import('./sandbox.mjs');
