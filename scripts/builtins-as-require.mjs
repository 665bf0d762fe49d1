// esbuild plugin: turns the bundle's `import … from "node:x"` statements into `require("node:x")` calls,
// hoisted to the top of each output file (the banner defines `require`). An ESM import of a built-in makes
// Node build a facade that reads every export once: for node:process that starts process.stdin, for others
// it loads modules nobody uses; commander alone paid ~5 ms for its six built-in imports at startup.
// A file whose statements this does not find exactly as esbuild's metafile lists them is left as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';

/** An import statement as esbuild's minifier writes it: default, {named} and/or * as ns, from "spec". */
const IMPORT = /(?<![\w$.])import\s*(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s*as\s*([\w$]+))?\s*from\s*"([^"]+)";?/g;

/**
 * `code` with its import statements of built-ins replaced by requires at the top, or unchanged when the
 * statements found are not exactly `expected` (the built-in specifiers esbuild reports for the file, sorted).
 */
export function rewriteBuiltinImports(code, expected) {
  const bannerEnd = code.indexOf('\n') + 1;
  if (!/\bconst require\b/.test(code.slice(0, bannerEnd))) return code;
  const body = code.slice(bannerEnd);
  const found = [...body.matchAll(IMPORT)].filter((m) => isBuiltin(m[4]));
  if (JSON.stringify(found.map((m) => m[4]).sort()) !== JSON.stringify(expected)) return code;
  if (found.length === 0) return code;
  const decls = found.map(([, def, named, ns, spec], i) => declarations(`__glmBuiltin${i}`, spec, def, named, ns));
  let rest = '';
  let at = 0;
  for (const m of found) {
    rest += body.slice(at, m.index);
    at = m.index + m[0].length;
  }
  rest += body.slice(at);
  return code.slice(0, bannerEnd) + `const ${decls.join(',')};` + rest;
}

function declarations(mod, spec, def, named, ns) {
  const out = [`${mod}=require(${JSON.stringify(spec)})`];
  if (def) out.push(`${def}=${mod}`);
  if (ns) out.push(`${ns}=${mod}`);
  for (const part of (named ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, local = name] = part.split(/\s+as\s+/);
    out.push(`${local}=${name === 'default' ? mod : `${mod}.${name}`}`);
  }
  return out.join(',');
}

export function builtinsAsRequire() {
  return {
    name: 'builtins-as-require',
    setup(build) {
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        for (const [file, output] of Object.entries(result.metafile?.outputs ?? {})) {
          if (!file.endsWith('.js')) continue;
          const expected = output.imports.filter((i) => i.external && i.kind === 'import-statement' && isBuiltin(i.path)).map((i) => i.path).sort();
          const code = readFileSync(file, 'utf8');
          const rewritten = rewriteBuiltinImports(code, expected);
          if (rewritten !== code) writeFileSync(file, rewritten);
        }
      });
    },
  };
}
