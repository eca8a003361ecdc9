import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** Runs an example as a user would, piped (not a TTY), with the workspace's tsx. */
async function runExample(file: string) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", file], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "" },
  });
  return stdout;
}

describe("examples", () => {
  it("quickstart answers every call in order and serializes writes to one note", async () => {
    const out = await runExample("examples/quickstart.ts");
    expect(out).toContain("parallel: true");
    expect(out).toContain("parallel: false");
    const resultLines = out.split("\n").filter((line) => /^ {2}call_\d/.test(line));
    expect(resultLines.map((line) => line.trim().split(/\s+/)[0])).toStrictEqual(
      Array.from({ length: 8 }, (_, i) => `call_${i}`),
    );
    expect(out).toContain('note "trip": ["pack umbrella","book hotel"]');
    expect(out).toMatch(/call_6 +error Error \(invalid_input\)/);
    expect(out).toContain(
      'There is no tool named "book_flight". Available tools: get_weather, append_note.',
    );
    // Piped output carries no escape codes.
    expect(out).not.toContain("\x1b[");
  }, 30_000);
});
