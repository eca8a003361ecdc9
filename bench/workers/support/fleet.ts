import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { PgBoss } from "pg-boss";

/**
 * A started PgBoss with the settings every process of the benchmarks uses (coordinator, toolbatch
 * workers and bare workers alike): LISTEN/NOTIFY on, no cron, no supervision.
 */
export async function startBoss(connectionString: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schedule: false,
    supervise: false,
    useListenNotify: true,
    max: 12,
  });
  boss.on("error", (error) => process.stderr.write(`pg-boss: ${String(error)}\n`));
  await boss.start();
  return boss;
}

/** A worker process of worker-process.ts, ready to take jobs. */
export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Ends it (SIGKILL: nothing of it is measured any more) and waits for it to exit. */
  kill(): Promise<void>;
}

/**
 * Starts a worker process (toolbatch's worker and a bare pg-boss worker, one call at a time
 * each). Its stdin is a pipe from this process: when this process dies, the worker sees the end
 * of its stdin and exits, so no worker outlives the benchmark.
 */
export async function startWorkerProcess(
  connectionString: string,
  name: string,
): Promise<WorkerProcess> {
  const script = fileURLToPath(new URL("../worker-process.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, connectionString, name], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`worker ${name} exited before ready (${code ?? signal})`)),
    );
  });
  return {
    name,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

/** How a bare round trip learns its result. */
export type BareResultBy = "complete" | "handler";

/** The data of a bare job: how long to wait, and who tells the sender. */
export interface BareJobData {
  readonly waitMs: number;
  readonly notify: BareResultBy;
}

export const BARE_HANDLER_CHANNEL = "bench_bare_handler";
const BARE_COMPLETED_CHANNEL = "bench_bare_completed";

/**
 * The sender's side of a bare pg-boss round trip, the baseline: `send` a job, a worker's
 * `work` handler runs it, and the sender learns the result by NOTIFY, either at pg-boss's own
 * `complete` of the job (a trigger on pg-boss's job table: send → work → complete → result) or
 * from the handler itself before pg-boss completes it (the cheapest hand-written round trip).
 */
export async function startBareSender(boss: PgBoss, queue: string) {
  if (!(await boss.getQueue(queue))) {
    // The same settings as toolbatch's queue (packages/pg-boss/src/queue/prepare-queue.ts).
    await boss.createQueue(queue, { policy: "standard", notify: true });
  }
  const db = boss.getDb();
  await db.executeSql(`
    CREATE OR REPLACE FUNCTION public.bench_bare_completed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('${BARE_COMPLETED_CHANNEL}', NEW.id::text); RETURN NULL; END $$;
    DROP TRIGGER IF EXISTS bench_bare_completed ON pgboss.job;
    CREATE TRIGGER bench_bare_completed AFTER UPDATE OF state ON pgboss.job FOR EACH ROW
      WHEN (NEW.state = 'completed' AND NEW.name = '${queue}')
      EXECUTE FUNCTION public.bench_bare_completed();`);
  const waiting = new Map<string, () => void>();
  const arrived = (id: string) => {
    waiting.get(id)?.();
    waiting.delete(id);
  };
  if (!db.listen) throw new Error("pg-boss's database cannot LISTEN");
  const listeners = await Promise.all(
    [BARE_COMPLETED_CHANNEL, BARE_HANDLER_CHANNEL].map((channel) =>
      db.listen?.(channel, arrived, () => {}),
    ),
  );
  return {
    /** One round trip: resolves when the result is known to the sender. */
    async roundTrip(notify: BareResultBy, waitMs = 0): Promise<void> {
      const id = randomUUID();
      const done = new Promise<void>((resolve) => waiting.set(id, resolve));
      const data: BareJobData = { waitMs, notify };
      await boss.send(queue, data, { id });
      await done;
    },
    close: () => Promise.all(listeners.map((listener) => listener?.close())),
  };
}
