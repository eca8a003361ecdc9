// Reads one or more vitest JSON reports and prints their sum as "N passed, N failed, N skipped";
// a missing or unreadable report counts as one failure. Exits 1 if any failed or nothing ran.
import { readFileSync } from "node:fs";

const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let success = true;
const problems = [];
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    failed += 1;
    problems.push(`no vitest report at ${file}: ${error.message}`);
    continue;
  }
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (report.success === false) success = false;
}
for (const problem of problems) console.error(problem);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(files.length === 0 || passed === 0 || failed > 0 || !success ? 1 : 0);
