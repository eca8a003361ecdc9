import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The project compiles without exactOptionalPropertyTypes; this compiles one file with it, as an
// application with `strict` settings does (issue 18).
describe("options under exactOptionalPropertyTypes", () => {
  it("every optional option of core outside the loop takes undefined", () => {
    const configPath = fileURLToPath(new URL("./strict/tsconfig.json", import.meta.url));
    const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
    expect(error).toBeUndefined();
    const parsed = ts.parseJsonConfigFileContent(
      config,
      ts.sys,
      fileURLToPath(new URL("./strict/", import.meta.url)),
    );
    expect(parsed.options.exactOptionalPropertyTypes).toBe(true);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName.includes("/test/strict/") ?? true)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    expect(problems).toEqual([]);
  }, 60_000);
});
