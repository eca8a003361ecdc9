import { defineProject } from "vitest/config";
import { workspaceAliases } from "../../vitest.aliases.js";

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: "examples-workers",
    include: ["test/**/*.test.ts"],
    // The demo runs as its own process: PostgreSQL, three workers, a job expiry after a SIGKILL.
    testTimeout: 120_000,
  },
});
