// `@toolbatch/core/file-store`: the file-system BatchStore, for Node. An entry of its own because
// it imports node:fs, node:path, node:os and node:crypto, which the main entry never does: core
// stays usable in browsers and edge runtimes, and their bundles never meet Node's modules.
export {
  createFileBatchStore,
  type FileBatchStoreOptions,
} from "./durable/file-batch-store.js";
