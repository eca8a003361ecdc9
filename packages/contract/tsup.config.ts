import { defineConfig } from "tsup";

const shared = {
  tsconfig: "tsconfig.build.json",
  dts: true,
  sourcemap: true,
  target: "node20",
  shims: true,
} as const;

export default defineConfig([
  // The kit imports vitest, which cannot be required: ESM only.
  { ...shared, entry: ["src/index.ts"], format: ["esm"], clean: true },
  // The servers and recordings need no vitest: ESM and CommonJS.
  { ...shared, entry: ["src/server.ts"], format: ["esm", "cjs"], clean: false },
]);
