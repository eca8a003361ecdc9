// The queue executor and the tool worker, from @toolbatch/pg-boss's source: its entry does not
// export them yet (issue 17 is in progress); then this imports "@toolbatch/pg-boss".
export { createQueueExecutor } from "../../../packages/pg-boss/src/queue/queue-executor.js";
export { createToolWorker } from "../../../packages/pg-boss/src/queue/tool-worker.js";
