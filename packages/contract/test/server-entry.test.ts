import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// `@toolbatch/contract/server` is for demos, examples and other test runners: it must load where
// vitest is not installed (vitest is an optional peer, for the kit's entry only).
const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const workspaceRoot = resolve(packageRoot, "../..");

/** Every module specifier `entry` reaches through its relative imports, type-only ones left out. */
function bareImportsOf(entry: string): Set<string> {
  const bare = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(
      /^(?:import|export)(?!\s+type\b)[^;]*?from\s+"([^"]+)"/gms,
    )) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith("."))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else bare.add(specifier);
    }
    for (const match of source.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) bare.add(match[1] ?? "");
  };
  visit(entry);
  return bare;
}

describe("@toolbatch/contract/server without vitest", () => {
  it("imports nothing of vitest, at any depth of its import graph", () => {
    const bare = [...bareImportsOf(join(packageRoot, "src/server.ts"))].sort();
    expect(bare.filter((specifier) => !specifier.startsWith("node:"))).toStrictEqual([
      "@toolbatch/core",
    ]);
  });

  it("declares vitest an optional peer", () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
    expect(manifest.peerDependencies.vitest).toBeDefined();
    expect(manifest.peerDependenciesMeta.vitest).toStrictEqual({ optional: true });
  });

  // pnpm sets NODE_PATH to its hoisted store, where vitest is: a user's project has none of it.
  const { NODE_PATH: _hoisted, ...env } = process.env;
  const work = mkdtempSync(join(tmpdir(), "toolbatch-contract-server-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("loads from the packed tarball, ESM and CommonJS, in a project where vitest cannot be resolved", () => {
    // The tarballs as published (`pnpm pack`: the `files` list, the exports map), unpacked into a
    // project outside the workspace that holds only them: no vitest anywhere up the tree.
    for (const name of ["core", "contract"]) {
      const dist = join(workspaceRoot, "packages", name, "dist");
      expect(
        readdirSync(dist),
        `packages/${name}/dist: run \`pnpm run build\` first`,
      ).not.toHaveLength(0);
      const out = execFileSync("pnpm", ["pack", "--pack-destination", work], {
        cwd: join(workspaceRoot, "packages", name),
        encoding: "utf8",
      });
      const tarball = out.trim().split("\n").at(-1) ?? "";
      const target = join(work, "node_modules/@toolbatch", name);
      mkdirSync(target, { recursive: true });
      execFileSync("tar", ["-xzf", resolve(work, tarball), "-C", target, "--strip-components=1"]);
    }
    const esm = `
      await import("vitest").then(() => { throw new Error("vitest resolved"); }, (error) => { if (error.code !== "ERR_MODULE_NOT_FOUND") throw error; });
      const { startVendorServer, scriptedToolModel } = await import("@toolbatch/contract/server");
      const server = await startVendorServer({ vendor: "openai", replies: scriptedToolModel({ calls: [{ name: "add", arguments: { a: 1 } }], answer: () => "done" }) });
      const response = await fetch(server.url + "/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", messages: [] }) });
      const body = await response.json();
      await server.close();
      console.log(JSON.stringify(body.choices[0].message.tool_calls.map((call) => call.function)));
    `;
    expect(
      execFileSync(process.execPath, ["--input-type=module", "-e", esm], {
        cwd: work,
        encoding: "utf8",
      }).trim(),
    ).toBe('[{"name":"add","arguments":"{\\"a\\":1}"}]');
    const cjs = `
      try { require.resolve("vitest"); throw new Error("vitest resolved"); } catch (error) { if (error.code !== "MODULE_NOT_FOUND") throw error; }
      console.log(Object.keys(require("@toolbatch/contract/server")).includes("scriptedToolModel"));
    `;
    expect(
      execFileSync(process.execPath, ["-e", cjs], { cwd: work, env, encoding: "utf8" }).trim(),
    ).toBe("true");
  }, 120_000);
});
