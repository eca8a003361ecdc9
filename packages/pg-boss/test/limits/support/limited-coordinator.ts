// A coordinating process sharing a resource's budget through PostgreSQL, for the limiter tests:
// `node --import tsx limited-coordinator.ts <connectionString> run <name> <calls>` runs a batch
// of <calls> calls on the resource "api" (concurrency 2, 5 starts per second) through core's
// executeBatch with createPostgresResourceLimiter on pg-boss's getDb(), and prints its results
// as JSON; `... hold <name> 0` takes a place on "api" (concurrency 1, lease 1.5 s), prints
// "held" and waits to be killed.
import { defineTool, executeBatch, jsonSchema, type ToolCallBatch } from "@toolbatch/core";
import { createPostgresResourceLimiter } from "../../../src/index.js";
import { startBoss } from "../../queue/support/queue-fixture.js";

const [connectionString, mode, name, count] = process.argv.slice(2) as [
  string,
  "run" | "hold",
  string,
  string,
];
const boss = await startBoss(connectionString);
const db = boss.getDb();

if (mode === "hold") {
  const limiter = await createPostgresResourceLimiter(
    db,
    { api: { concurrency: 1 } },
    { leaseMs: 1_500 },
  );
  await limiter.acquire({ locks: [], resources: ["api"] });
  process.stdout.write("ready held\n");
  // Holds until SIGKILL: never releases, never exits.
  setInterval(() => {}, 60_000);
} else {
  const limiter = await createPostgresResourceLimiter(db, {
    api: { concurrency: 2, rate: { limit: 5, intervalMs: 1_000 } },
  });
  const callApi = defineTool({
    name: "call_api",
    description: "Calls the shared API",
    input: jsonSchema<{ n: number }>({ type: "object" }),
    resources: () => "api",
    execute: async ({ n }, { call }) => {
      // In flight across every process, counted by the server: the peak is kept per start.
      await db.executeSql(
        `WITH up AS (UPDATE api_in_flight SET n = n + 1 RETURNING n)
         INSERT INTO api_calls (coordinator, call_id, in_flight, started_at)
         SELECT $1, $2, n, clock_timestamp() FROM up`,
        [name, call.id],
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      await db.executeSql("UPDATE api_in_flight SET n = n - 1");
      return { n, by: name };
    },
  });
  const batch: ToolCallBatch = {
    provider: "test",
    complete: true,
    turn: null,
    calls: Array.from({ length: Number(count) }, (_, index) => ({
      id: `${name}_${index}`,
      index,
      name: "call_api",
      input: { n: index },
    })),
  };
  process.stdout.write("ready\n");
  const results = await executeBatch(batch, [callApi], { limiter });
  process.stdout.write(`results ${JSON.stringify(results)}\n`);
  await limiter.close();
  await boss.stop({ graceful: false, close: true });
}
