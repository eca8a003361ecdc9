import type { Db, PgBoss } from "pg-boss";
import { ensureCallRuns } from "./call-runs.js";
import type { QueueProtocol } from "./queue-protocol.js";
import { UnsupportedDatabaseError } from "./unsupported-database-error.js";

/** pg-boss's database handle, with the two capabilities the queue needs (see `prepareQueue`). */
export type QueueDb = Db & Required<Pick<Db, "listen" | "beginTransaction">>;

/**
 * Checks that the `PgBoss` instance's database can LISTEN and hold a connection
 * (`UnsupportedDatabaseError` otherwise), creates the call ledger's table and the queue (policy
 * `standard`, `notify` on, so workers of an instance with `useListenNotify` wake at once) if they
 * are missing, and returns the database handle. The instance must be started.
 */
export async function prepareQueue(boss: PgBoss, protocol: QueueProtocol): Promise<QueueDb> {
  const db = boss.getDb();
  if (typeof db.listen !== "function") throw new UnsupportedDatabaseError("listen");
  if (typeof db.beginTransaction !== "function") {
    throw new UnsupportedDatabaseError("beginTransaction");
  }
  await ensureCallRuns(db, protocol);
  // A queue that exists keeps its settings; createQueue leaves it as it is.
  if (!(await boss.getQueue(protocol.queue))) {
    await boss.createQueue(protocol.queue, { policy: "standard", notify: true });
  }
  return db as QueueDb;
}
