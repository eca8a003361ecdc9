import { packageBuild } from "../../tsup.package.js";

// Two entries in one build: `.` and `./file-store` (createFileBatchStore, which imports node:fs;
// an entry of its own so the main entry stays free of Node modules for browsers and edge
// runtimes). `splitting: false` keeps each JavaScript file whole, so dist/index.js is what it was
// with one entry (the size-limit checks bundle it); the few modules the file store shares with
// the main entry (the checkpoint parser, the errors) are copied into dist/file-store.*, and their
// errors still match across the two copies (`isInstance` reads a Symbol.for marker).
export default packageBuild({
  entry: { index: "src/index.ts", "file-store": "src/file-store.ts" },
  splitting: false,
});
