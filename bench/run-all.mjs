// Runs every benchmark in bench/: the core numbers (start-up, one-shot, per-turn overhead, prompt size) and the
// REPL's rendering numbers (needs tmux), hooks, shell decisions, the built-in search against grep -r and find, 
// how much of each request a resumed session repeats (prompt cache), the command sandbox's cost, what a plain
// `glm -p hi` loads, how long glm takes to exit after a tool call, and that images (sharp) cost `glm -p hi` nothing.
await import('./core.mjs');
console.log('');
await import('./repl-render.mjs');
console.log('');
await import('./hook.mjs');
console.log('');
await import('./shell-decision.mjs');
console.log('');
await import('./search.mjs');
console.log('');
await import('./resume-cache.mjs');
console.log('');
await import('./sandbox.mjs');
console.log('');
await import('./lazy-loads.mjs');
console.log('');
await import('./exit-lag.mjs');
console.log('');
await import('./images.mjs');
