import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/fixture-site.ts";

/*
 * The shape of the code, checked: lib/ stays readable as the README describes
 * it. Functions short enough to read at once, no import cycle, and a layout
 * table that names every folder.
 */
const LIB = path.join(REPO, "lib");
const MAX_FUNCTION_LINES = 50;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

const files = sourceFiles(LIB).map((file) => ({ file, source: ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true) }));

/** Every function, method and arrow function with its length in lines. */
function functionLengths(source: ts.SourceFile): Array<{ name: string; lines: number }> {
  const found: Array<{ name: string; lines: number }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node as { name?: ts.Node }).name?.getText(source) ?? `anonymous function at line ${start + 1}`;
      found.push({ name, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * The lib/ files a file loads: relative imports and re-exports. Type-only ones
 * (`import type`) are left out: they vanish when the code runs, and a cycle
 * through them never leaves a module half-loaded.
 */
function importsOf(file: string, source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) => {
    const typeOnly = ts.isImportDeclaration(statement)
      ? statement.importClause?.isTypeOnly === true
      : ts.isExportDeclaration(statement) && statement.isTypeOnly;
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    return specifier?.startsWith(".") && !typeOnly ? [path.resolve(path.dirname(file), specifier)] : [];
  });
}

function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "visiting") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("the code in lib/", () => {
  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.length).toBeGreaterThan(30);
    const long = files.flatMap(({ file, source }) =>
      functionLengths(source)
        .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
        .map((fn) => `${path.relative(REPO, file)}: ${fn.name} (${fn.lines} lines)`),
    );
    expect(long).toEqual([]);
  });

  it("has no import cycle", () => {
    const graph = new Map(files.map(({ file, source }) => [file, importsOf(file, source)]));
    expect([...graph.values()].flat().length).toBeGreaterThan(50);
    const cycle = findCycle(graph);
    expect(cycle?.map((file) => path.relative(REPO, file))).toBeUndefined();
  });

  it("imports nothing from test/", () => {
    const fromTests = files.flatMap(({ file, source }) =>
      importsOf(file, source)
        .filter((target) => target.startsWith(path.join(REPO, "test")))
        .map(() => path.relative(REPO, file)),
    );
    expect(fromTests).toEqual([]);
  });

  it("is laid out as the README's table says: every folder named, every named folder there", () => {
    const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## How the code is laid out"), readme.indexOf("\n## ", readme.indexOf("## How the code is laid out") + 1));
    const named = [...table.matchAll(/^\| `(lib\/[a-z-]+)\/` \|/gm)].map((match) => match[1]!).sort();
    const folders = readdirSync(LIB, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `lib/${entry.name}`)
      .sort();
    expect(named).toEqual(folders);
  });
});
