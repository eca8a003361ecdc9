import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

// examples/otel-console.ts in its own process, piped, as a user runs it (issue 19).
it("otel-console prints an execute_tool span per call, under the batch span", async () => {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "otel-console.ts"],
    {
      cwd,
      env: { ...process.env, NO_COLOR: "" },
    },
  );
  expect(stdout).toContain("name: 'execute_tool get_weather'");
  expect(stdout).toContain("'gen_ai.operation.name': 'execute_tool'");
  expect(stdout).toContain("'error.type': 'unknown_tool'");
  expect(stdout).toContain("name: 'toolbatch.batch'");
  expect(stdout).toContain("results: ok, ok, unknown_tool");
});
