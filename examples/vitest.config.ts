import { defineProject } from "vitest/config";
import { workspaceAliases } from "../vitest.aliases.js";

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: "examples",
    include: ["test/**/*.test.ts"],
    // Each example runs as its own process, offline; they are independent.
    testTimeout: 60_000,
  },
});
