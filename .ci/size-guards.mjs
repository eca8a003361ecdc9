// Prints a regression guard for every size-limit check: its measured size plus 5 %, rounded up to
// 50 bytes, the rule .size-limit.cjs follows. Run after `pnpm run build`:
//   pnpm exec size-limit --json | node .ci/size-guards.mjs
// then copy the limits of the checks that changed on purpose into .size-limit.cjs.
import { readFileSync } from "node:fs";

const HEADROOM = 1.05;
const STEP = 50;
const results = JSON.parse(readFileSync(0, "utf8"));
for (const { name, size } of results) {
  const guard = Math.ceil((size * HEADROOM) / STEP) * STEP;
  console.log(`${String(size).padStart(6)} B measured -> guard "${guard} B"  ${name}`);
}
