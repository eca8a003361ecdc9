// The queue executor and the tool worker, from @toolbatch/pg-boss's source: its entry does not
// export them yet (issue 17 is in progress). Once it does, this becomes
// `export { createQueueExecutor, createToolWorker } from "@toolbatch/pg-boss"` and the benchmarks
// measure the built package, as the main bench project does.
export {
  createQueueExecutor,
  type QueueExecutor,
} from "../../../packages/pg-boss/src/queue/queue-executor.js";
export { createToolWorker } from "../../../packages/pg-boss/src/queue/tool-worker.js";
