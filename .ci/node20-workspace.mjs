// Turns a scratch copy of the repo into the Node 20 lane's workspace (run from its root):
//  - drops the repo's own Node 24 (the root dev dependency `node` and pnpm's `nodeVersion`), so pnpm
//    checks every engine against the Node that runs it (engineStrict);
//  - pins the vendor SDKs to the newest majors that still run on Node 20 wherever a workspace
//    package has them as dev dependencies;
//  - removes the workspace packages whose `engines.node` does not admit Node 20, and the private
//    projects (tests, examples, bench) that depend on one of them.
// Prints the vitest project names left to run, one per line.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The newest vendor SDK majors whose `engines` admit Node 20 (openai 7 and @google/genai 3 need 22). */
const SDKS_FOR_NODE20 = { openai: "6.49.0", "@google/genai": "2.32.0" };
const NODE_MAJOR = 20;

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** The lowest Node major an `engines.node` range admits: ">=20", ">=20.19", "^20.19 || >=22" -> 20. */
const floorMajor = (range) => {
  const majors = [...String(range).matchAll(/(?:^|[\s|])(?:>=|\^|~)?\s*v?(\d+)/g)].map((match) =>
    Number(match[1]),
  );
  return majors.length > 0 ? Math.min(...majors) : 0;
};

const root = readJson("package.json");
delete root.devDependencies.node;
writeJson("package.json", root);
const workspace = readFileSync("pnpm-workspace.yaml", "utf8");
writeFileSync("pnpm-workspace.yaml", workspace.replace(/^nodeVersion:.*\n/m, ""));

const folders = [
  ...readdirSync("packages").map((name) => join("packages", name)),
  "test",
  "examples",
  "bench",
  // Private projects nested in those, with engines of their own (the queue demo and benchmarks).
  "examples/workers",
  "bench/workers",
].filter((folder) => existsSync(join(folder, "package.json")));
const manifests = new Map(
  folders.map((folder) => [folder, readJson(join(folder, "package.json"))]),
);

const dropped = new Set();
for (const manifest of manifests.values()) {
  const range = manifest.engines?.node;
  if (range !== undefined && floorMajor(range) > NODE_MAJOR) dropped.add(manifest.name);
}
for (const manifest of manifests.values()) {
  if (!manifest.private) continue;
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  if (Object.keys(deps).some((dep) => dropped.has(dep))) dropped.add(manifest.name);
}

const projects = [];
for (const [folder, manifest] of manifests) {
  if (dropped.has(manifest.name)) {
    rmSync(folder, { recursive: true, force: true });
    console.error(
      `node20-workspace: dropped ${manifest.name} (engines.node ${manifest.engines?.node ?? "-"})`,
    );
    continue;
  }
  for (const [dep, version] of Object.entries(SDKS_FOR_NODE20)) {
    if (manifest.devDependencies?.[dep]) manifest.devDependencies[dep] = version;
  }
  writeJson(join(folder, "package.json"), manifest);
  const config = join(folder, "vitest.config.ts");
  const name = existsSync(config)
    ? /\bname:\s*"([^"]+)"/.exec(readFileSync(config, "utf8"))?.[1]
    : undefined;
  if (name) projects.push(name);
}
console.log(projects.join("\n"));
