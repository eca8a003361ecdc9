import { PgBoss } from "pg-boss";

/**
 * The demo's PgBoss instances (the coordinator's and each worker's): LISTEN/NOTIFY on, no cron.
 * `supervise` (the coordinator's) checks job expiry every second, so the job of a killed worker's
 * call expires and is retried within seconds instead of pg-boss's default minute.
 */
export async function startBoss(connectionString: string, supervise = false): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schedule: false,
    supervise,
    ...(supervise ? { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 } : {}),
    useListenNotify: true,
    max: 6,
  });
  // A worker killed mid-call drops its connections; the server and the other processes go on.
  boss.on("error", () => {});
  await boss.start();
  return boss;
}
