import { readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layout rules of STYLE.md, checked for every `.ts` file under `packages/<name>/src`: files
 * stay small (split by behaviour, never by copying), and no files import each other in a circle.
 * Type-only imports count: a type cycle is still two files a reader can only understand together.
 */

const MAX_LINES = 400;

const root = fileURLToPath(new URL("..", import.meta.url));

/** Every source file of every package, as a path from the repository root, sorted. */
function sourceFiles(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(`${root}packages`, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const source = `packages/${entry.name}/src`;
    let names: string[];
    try {
      names = readdirSync(`${root}${source}`, { recursive: true, encoding: "utf8" });
    } catch {
      continue; // a package without src
    }
    for (const name of names) if (name.endsWith(".ts")) files.push(posix.join(source, name));
  }
  return files.sort();
}

/** Lines as `wc -l` counts them: a last line without a newline still counts. */
function countLines(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/**
 * The files of `known` that `file` imports or re-exports from with a relative path: every
 * `import`, `import type` and `export ... from` statement (not `import()` expressions). `./x.js`
 * and `./x` resolve to `x.ts`, then to `x/index.ts`.
 */
function relativeImports(file: string, text: string, known: ReadonlySet<string>): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const imported: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) continue;
    const target = posix.join(posix.dirname(file), specifier.text).replace(/\.js$/, "");
    const resolved = [`${target}.ts`, target, `${target}/index.ts`].find((path) => known.has(path));
    if (resolved) imported.push(resolved);
  }
  return imported;
}

/**
 * The import cycles of a graph, each printed `a.ts -> b.ts -> a.ts` and started at its smallest
 * path, so the same cycle always reads the same. One cycle per edge that closes one in a
 * depth-first walk: every group of files caught in a circle shows at least once, and once those
 * are broken, a rerun shows any other.
 */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const done = new Set<string>();
  const path: string[] = [];
  const cycles = new Set<string>();
  const visit = (file: string) => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const start = path.indexOf(next);
      if (start >= 0) {
        const cycle = path.slice(start);
        const first = cycle.indexOf([...cycle].sort()[0] as string);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        cycles.add([...rotated, rotated[0]].join(" -> "));
      } else if (!done.has(next)) {
        visit(next);
      }
    }
    path.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) if (!done.has(file)) visit(file);
  return [...cycles];
}

describe("packages/*/src", () => {
  const files = sourceFiles();
  const texts = new Map(files.map((file) => [file, readFileSync(`${root}${file}`, "utf8")]));

  it("finds the sources", () => {
    expect(files).toContain("packages/core/src/index.ts");
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const tooLong = files
      .map((file) => ({ file, lines: countLines(texts.get(file) as string) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(
      tooLong,
      `split these by behaviour (at most ${MAX_LINES} lines a file):\n${tooLong.join("\n")}`,
    ).toEqual([]);
  });

  it("has no import cycle (type-only imports included)", () => {
    const known = new Set(files);
    const graph = new Map(
      files.map((file) => [file, relativeImports(file, texts.get(file) as string, known)]),
    );
    const cycles = findCycles(graph);
    expect(
      cycles,
      `move what both sides need into a file of its own:\n${cycles.join("\n")}`,
    ).toEqual([]);
  });
});

describe("the layout checks", () => {
  it("count lines as wc -l does", () => {
    expect([countLines(""), countLines("a"), countLines("a\n"), countLines("a\nb\n")]).toEqual([
      0, 1, 1, 2,
    ]);
  });

  it("read import, import type and export-from statements, resolving .js, bare and index paths", () => {
    const known = new Set(["src/a.ts", "src/b.ts", "src/c/index.ts", "src/d.ts", "src/e.ts"]);
    const text = [
      'import type { B } from "./b.js";',
      'export { c } from "./c";',
      'export * from "../src/d";',
      'import { x } from "some-package";',
      '// import { e } from "./e.js";',
      'const e = () => import("./e.js");',
    ].join("\n");
    expect(relativeImports("src/a.ts", text, known)).toEqual([
      "src/b.ts",
      "src/c/index.ts",
      "src/d.ts",
    ]);
  });

  it("find every cycle, each started at its smallest path", () => {
    const graph = new Map([
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["a.ts", ["b.ts"]],
      ["d.ts", ["d.ts"]],
      ["e.ts", ["a.ts"]],
    ]);
    expect(findCycles(graph).sort()).toEqual(["a.ts -> b.ts -> c.ts -> a.ts", "d.ts -> d.ts"]);
    expect(
      findCycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).toEqual([]);
  });
});
