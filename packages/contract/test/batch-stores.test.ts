import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryBatchStore } from "@toolbatch/core";
import { createFileBatchStore } from "@toolbatch/core/file-store";
import { afterAll } from "vitest";
import { describeBatchStoreContract } from "../src/index.js";

// The two stores core ships, through the suite every store runs.
describeBatchStoreContract({ name: "memory", create: () => createMemoryBatchStore() });

const root = mkdtempSync(join(tmpdir(), "toolbatch-store-contract-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let stores = 0;
describeBatchStoreContract({
  name: "file",
  create: () => createFileBatchStore(join(root, `store-${++stores}`)),
});
