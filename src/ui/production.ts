// React and Ink pick their development or production build from NODE_ENV when first loaded; development
// React costs about twice the CPU per frame. Imported first by run-repl.tsx so it runs before they load.
// (scripts/build.mjs should also define process.env.NODE_ENV so the development code is not even bundled.)
process.env.NODE_ENV ??= 'production';
