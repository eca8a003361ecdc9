import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

// The project compiles without exactOptionalPropertyTypes: this compiles the loop's type test
// with it, as an application with strict settings does (issue 18). Only the problems in the test
// file count: core's own sources are compiled with the project's settings.
it("runToolLoop's options compile under exactOptionalPropertyTypes", () => {
  const folder = fileURLToPath(new URL("./tool-loop-strict/", import.meta.url));
  const { config } = ts.readConfigFile(`${folder}tsconfig.json`, ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, folder);
  expect(options.exactOptionalPropertyTypes).toBe(true);
  expect(fileNames.map((name) => name.split("/").at(-1))).toStrictEqual([
    "tool-loop-options.test-d.ts",
  ]);
  const program = ts.createProgram(fileNames, options);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter(
      (diagnostic) => diagnostic.file === undefined || fileNames.includes(diagnostic.file.fileName),
    )
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  expect(problems).toStrictEqual([]);
}, 60_000);
