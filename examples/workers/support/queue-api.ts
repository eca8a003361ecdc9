// The queue executor and the tool worker, as an application imports them.
export { createQueueExecutor, createToolWorker } from "@toolbatch/pg-boss";
