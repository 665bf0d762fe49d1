// Runs every benchmark script in bench/ that prints numbers (the REPL one needs tmux).
await import('./core.mjs');
