// The queue executor and the tool worker, from the built package, as the main bench project
// measures the built packages.
export { createQueueExecutor, createToolWorker, type QueueExecutor } from "@toolbatch/pg-boss";
