import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "tsup";

const shared = {
  tsconfig: "tsconfig.build.json",
  dts: true,
  sourcemap: true,
  target: "node20",
  shims: true,
  // tsup runs the two builds below in parallel, and `clean` in one of them (of the JavaScript at
  // its start, of every .d.ts when its declaration build starts) deletes what the other one has
  // already written: some builds shipped without dist/server.d.ts. So dist/ is emptied once, here.
  clean: false,
} as const;

rmSync(fileURLToPath(new URL("dist", import.meta.url)), { recursive: true, force: true });

export default defineConfig([
  // The kit imports vitest, which cannot be required: ESM only.
  { ...shared, entry: ["src/index.ts"], format: ["esm"] },
  // The servers and recordings need no vitest: ESM and CommonJS.
  { ...shared, entry: ["src/server.ts"], format: ["esm", "cjs"] },
]);
