import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A data folder this package ships (`recordings`, `specs`), found the same way from `src/` (tests
 * run from source) and from `dist/` (the published build).
 */
export function packageDirectory(folder: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "..", folder), join(here, "..", "..", folder)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`[toolbatch/contract] The ${folder} folder was not found next to ${here}.`);
}
