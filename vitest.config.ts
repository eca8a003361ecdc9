import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "examples", "examples/*/vitest.config.ts", "test"],
    coverage: { provider: "v8", include: ["packages/*/src/**"] },
  },
});
