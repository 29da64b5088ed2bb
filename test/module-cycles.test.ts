/**
 * No import cycle between modules: module = the first folder under src/modules. Every import counts —
 * static, `import type`, re-exports and dynamic `import()` — so a cycle cannot hide behind a lazy import.
 * A module below another (imports below claims) offers a hook the higher one registers into instead.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../src/modules');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const moduleOf = (file: string): string | undefined => {
  const parts = path.relative(root, file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
};

/**
 * The module specifiers a file names: `import … from`, `export … from`, `import '…'` and `import('…')`
 * (TypeScript 7 has no JavaScript API to ask). Comments are dropped first so that prose never counts.
 */
export function importedSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const pattern =
    /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[;\s])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...code.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** module → module it imports → the imports that make the edge (file → specifier). */
function moduleGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(root)) {
    const from = moduleOf(file);
    if (!from) continue;
    for (const fileName of importedSpecifiers(fs.readFileSync(file, 'utf8'))) {
      if (!fileName.startsWith('.')) continue;
      const to = moduleOf(path.resolve(path.dirname(file), fileName));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${path.relative(root, file)} → ${fileName}`]);
    }
  }
  return graph;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('the modules under src/modules import each other without a cycle', () => {
  const graph = moduleGraph();
  assert.ok(graph.size > 10, 'the modules were read');
  const explain = cycles(graph).map((component) => {
    const edges = component.flatMap((a) =>
      component
        .filter((b) => graph.get(a)?.has(b))
        .map((b) => `  ${a} → ${b}: ${graph.get(a)!.get(b)!.slice(0, 3).join('; ')}`),
    );
    return `${component.join(', ')}\n${edges.join('\n')}`;
  });
  assert.deepEqual(explain, [], `modules in a cycle:\n${explain.join('\n')}`);
});

test('the cycle check sees static, type-only and dynamic imports', () => {
  const source = [
    `import a from '../x/a.ts';`,
    `import type { B } from '../y/b.ts';`,
    `import {\n  c,\n  type C,\n} from '../z/c.ts';`,
    `export * from '../v/e.ts';`,
    `import '../u/f.ts';`,
    `const d = await import('../w/d.ts');`,
    `type T = import('../t/t.ts').T;`,
    `// import { no } from '../comment/x.ts';`,
    `/* import('../comment/y.ts') */`,
  ].join('\n');
  assert.deepEqual(importedSpecifiers(source), [
    '../x/a.ts',
    '../y/b.ts',
    '../z/c.ts',
    '../v/e.ts',
    '../u/f.ts',
    '../w/d.ts',
    '../t/t.ts',
  ]);
});
