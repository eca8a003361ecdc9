import type { ToolCall, ToolResult } from "@toolbatch/core";
import type { CallRunState } from "./call-runs.js";
import type { QueueDb } from "./prepare-queue.js";
import type { QueueProtocol } from "./queue-protocol.js";
import { abandonedByQueue, outcomeUnknownOnWorker } from "./queue-texts.js";

/** A call this coordinator awaits: one entry per job, however many of its batches await it. */
interface Awaited {
  readonly call: Pick<ToolCall, "id" | "name">;
  readonly promise: Promise<ToolResult>;
  readonly resolve: (result: ToolResult) => void;
  /** True once its job is in the queue: only then may the sweep read its job's state. */
  sent: boolean;
  /** How many waits hold it. */
  holders: number;
}

/** The results of the calls a coordinator awaits, as they reach the call ledger. */
export interface CallResults {
  /** Awaits a call's result; call before sending its job, so that no notification is missed. */
  wait(jobId: string, call: Pick<ToolCall, "id" | "name">): Promise<ToolResult>;
  /** Its job is in the queue (sent now, or sent earlier by anyone): look at the ledger at once. */
  sent(jobId: string): void;
  /** Answers a call here (the coordinator cancelled it before it started). */
  answer(jobId: string, result: ToolResult): void;
  /** Stops awaiting a call (its wait ended otherwise). */
  forget(jobId: string): void;
  /** Looks at every awaited call now: the sweep's one query. */
  sweep(): Promise<void>;
  /** Stops listening and sweeping; awaited calls stay unanswered. */
  close(): Promise<void>;
}

/** Job states after which pg-boss will not run the job again. */
const FINISHED = new Set(["completed", "failed", "cancelled"]);

/**
 * Collects results without polling storms: one LISTEN connection (pg-boss's `listen`, which
 * reconnects by itself and then runs a sweep for what was missed) tells which job settled, and a
 * slow sweep, one query per interval while anything is awaited, catches missed notifications and
 * calls whose job pg-boss finished without a worker settling them (the workers died and the
 * retries ran out): answered from the ledger, `outcome_unknown` when an attempt started.
 */
export async function createCallResults(
  db: QueueDb,
  protocol: QueueProtocol,
  options: { readonly sweepIntervalMs: number; readonly bossSchema: string },
): Promise<CallResults> {
  const awaited = new Map<string, Awaited>();
  const settle = (jobId: string, result: ToolResult) => {
    const entry = awaited.get(jobId);
    if (!entry) return;
    awaited.delete(jobId);
    const { id, name } = entry.call;
    entry.resolve({ ...result, callId: id, name });
  };
  // Notifications arrive in bursts: the ids of one turn of the event loop are read in one query.
  let pending: string[] = [];
  const readSettled = async (jobIds: string[]) => {
    const { rows } = await db.executeSql(
      `SELECT job_id::text AS job_id, result FROM ${protocol.runsTable}
       WHERE job_id = ANY($1::uuid[]) AND state = 'settled'`,
      [jobIds],
    );
    for (const row of rows as Array<{ job_id: string; result: ToolResult }>) {
      settle(row.job_id, row.result);
    }
  };
  const check = (jobId: string) => {
    if (!awaited.has(jobId)) return;
    pending.push(jobId);
    if (pending.length > 1) return;
    setImmediate(() => {
      const ids = pending;
      pending = [];
      // A failed read is the sweep's to catch up.
      readSettled(ids).catch(() => {});
    });
  };
  const sweep = async () => {
    const ids = [...awaited].filter(([, entry]) => entry.sent).map(([id]) => id);
    if (ids.length === 0) return;
    const { rows } = await db.executeSql(
      `SELECT w.id::text AS job_id, j.state AS job_state, r.state AS run_state, r.result
       FROM unnest($1::uuid[]) AS w(id)
       LEFT JOIN "${options.bossSchema}".job AS j ON j.name = $2 AND j.id = w.id
       LEFT JOIN ${protocol.runsTable} AS r ON r.job_id = w.id`,
      [ids, protocol.queue],
    );
    for (const row of rows as SweepRow[]) {
      const entry = awaited.get(row.job_id);
      if (!entry) continue;
      if (row.run_state === "settled" && row.result) settle(row.job_id, row.result);
      else if (row.job_state === null || FINISHED.has(row.job_state)) {
        settle(
          row.job_id,
          row.run_state === "started"
            ? outcomeUnknownOnWorker(entry.call)
            : abandonedByQueue(entry.call, row.job_state ?? "deleted"),
        );
      }
    }
  };
  const listener = await db.listen(protocol.settledChannel, check, () => {
    sweep().catch(() => {});
  });
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (sweeping || awaited.size === 0) return;
    sweeping = sweep()
      .catch(() => {})
      .finally(() => {
        sweeping = undefined;
      });
  }, options.sweepIntervalMs);
  timer.unref();
  return {
    wait(jobId, call) {
      let entry = awaited.get(jobId);
      if (!entry) {
        let resolve: (result: ToolResult) => void = () => {};
        const promise = new Promise<ToolResult>((done) => {
          resolve = done;
        });
        entry = { call, promise, resolve, sent: false, holders: 0 };
        awaited.set(jobId, entry);
      }
      entry.holders += 1;
      return entry.promise;
    },
    sent(jobId) {
      const entry = awaited.get(jobId);
      if (!entry) return;
      entry.sent = true;
      check(jobId);
    },
    answer: settle,
    forget(jobId) {
      const entry = awaited.get(jobId);
      if (entry && --entry.holders <= 0) awaited.delete(jobId);
    },
    sweep,
    async close() {
      clearInterval(timer);
      await listener.close();
    },
  };
}

interface SweepRow {
  readonly job_id: string;
  readonly job_state: string | null;
  readonly run_state: CallRunState | null;
  readonly result: ToolResult | null;
}
