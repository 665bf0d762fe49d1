// LS: a compact tree of a folder (breadth first, so a cap cuts deep levels, not whole siblings),
// .gitignore honoured, node_modules and .git skipped. Imports no loop, session or UI.
import type { Dirent } from 'node:fs';
import { readDirNames } from '../src/paths.ts';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { renderTemplate } from '../src/template.ts';
import { DenyFilter, withNote } from './deny.ts';
import { displayPath, resolvePath, statOrUndefined, titlePath } from './file-io.ts';
import { notRegular, specialKind } from './regular-file.ts';
import { didYouMean } from './suggest.ts';
import { IgnoreFilter } from './walk.ts';
import template from './ls.md';

export const LS_MAX_ENTRIES = 300;
const SKIP = new Set(['node_modules', '.git']);

const schema = z.object({
  path: z.string().describe('Folder to list'),
  ignore: z.array(z.string()).optional().describe('Glob patterns to leave out'),
});

interface Node {
  name: string;
  abs: string;
  isDir: boolean;
  children?: Node[];
}

async function collect(root: Node, filter: IgnoreFilter, skip: (rel: string) => boolean, deny: DenyFilter): Promise<{ count: number; cut: boolean }> {
  const queue: Node[] = [root];
  let count = 0;
  let cut = false;
  while (queue.length) {
    const dir = queue.shift()!;
    let entries: Dirent[] = [];
    try {
      entries = readDirNames(dir.abs); // names that are not UTF-8 come as \xNN escapes
    } catch {
      // unreadable: listed empty
    }
    const kids: Node[] = [];
    let hidden = 0;
    for (const e of entries) {
      const abs = join(dir.abs, e.name);
      const isDir = e.isDirectory();
      if (isDir && SKIP.has(e.name)) continue;
      if (skip(relative(root.abs, abs).split(sep).join('/')) || (await filter.ignoredEntry(abs, isDir))) continue;
      if (deny.covers(abs, e.isSymbolicLink())) {
        hidden++; // a denied folder is not entered
        continue;
      }
      kids.push({ name: e.name, abs, isDir });
    }
    if (count + kids.length > LS_MAX_ENTRIES && dir !== root) {
      cut = true; // too big to show whole: leave it unexpanded, smaller siblings may still fit
      continue;
    }
    deny.hidden += hidden;
    kids.sort((a, b) => Number(b.isDir) - Number(a.isDir) || (a.name < b.name ? -1 : 1));
    dir.children = kids.slice(0, LS_MAX_ENTRIES);
    count += dir.children.length;
    if (kids.length > dir.children.length) return { count, cut: true };
    queue.push(...dir.children.filter((k) => k.isDir));
  }
  return { count, cut };
}

function render(node: Node, depth: number, out: string[]) {
  for (const k of node.children ?? []) {
    const unexpanded = k.isDir && k.children === undefined;
    out.push(`${'  '.repeat(depth)}${k.name}${k.isDir ? '/' : ''}${unexpanded ? ' …' : ''}`);
    if (k.isDir) render(k, depth + 1, out);
  }
}

export const lsTool = defineTool({
  name: 'LS',
  kind: 'read',
  // Read-only: consecutive calls of one message run at the same time (their results keep the model's order).
  parallel: true,
  keep: 'head',
  description: renderTemplate(template, { max: LS_MAX_ENTRIES }),
  schema,
  title: (a) => `LS ${titlePath(a.path)}`,
  target: (a) => a.path,
  async execute(args, ctx) {
    const abs = resolvePath(ctx.cwd, args.path || '.');
    const shown = displayPath(abs, ctx.cwd);
    const st = await statOrUndefined(abs);
    if (!st) return { output: `Folder not found: ${shown}.${await didYouMean(abs, ctx.cwd, ctx.readDenied)}`, isError: true };
    const special = specialKind(st);
    if (special) return { output: notRegular(shown, special), isError: true };
    if (!st.isDirectory()) return { output: `${shown} is a file, not a folder. Use Read to see its content.`, isError: true };
    const matchers = (args.ignore ?? []).map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
    const root: Node = { name: shown, abs, isDir: true };
    const deny = new DenyFilter(ctx.readDenied);
    const { count, cut } = await collect(root, await IgnoreFilter.create(abs, ctx.cwd), (rel) => matchers.some((m) => m(rel)), deny);
    if (count === 0) return { output: withNote(`${shown}/ is empty.`, deny), display: { summary: 'empty' } };
    const out = [`${shown}/`];
    render(root, 1, out);
    if (cut) out.push(`\n(Listed ${count} entries; folders marked … were not expanded. LS a subfolder or use Glob to see more.)`);
    return { output: withNote(out.join('\n'), deny), display: { summary: `${count} ${count === 1 ? 'entry' : 'entries'}` } };
  },
});
