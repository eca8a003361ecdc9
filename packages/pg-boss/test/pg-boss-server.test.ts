import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "./support/test-database.js";

// The harness's first check: pg-boss 12 installs its schema on the embedded server and runs a
// job both ways (fetch/complete by hand, and a worker), and key_strict_fifo holds back a second
// job with an active job's key.
describe("pg-boss 12 on the embedded PostgreSQL server", () => {
  let boss: PgBoss;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const { connectionString } = await createTestDatabase("pgboss");
    boss = new PgBoss({ connectionString, supervise: false, schedule: false });
    boss.on("error", (error) => errors.push(error));
    await boss.start();
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    expect(errors).toEqual([]);
  });

  it("sends, fetches and completes a job; its output is stored", async () => {
    await boss.createQueue("round-trip");
    const id = await boss.send("round-trip", { question: 6 });
    expect(id).toEqual(expect.any(String));
    const [job, ...more] = await boss.fetch<{ question: number }>("round-trip", { batchSize: 5 });
    expect(more).toEqual([]);
    expect(job).toMatchObject({ id, data: { question: 6 } });
    await boss.complete("round-trip", id as string, { answer: 42 });
    expect(await boss.getJobById("round-trip", id as string)).toMatchObject({
      state: "completed",
      output: { answer: 42 },
    });
  });

  it("key_strict_fifo holds back a job whose key is active until that job completes", async () => {
    await boss.createQueue("strict", { policy: "key_strict_fifo" });
    const first = await boss.send("strict", { n: 1 }, { singletonKey: "lock-a" });
    const second = await boss.send("strict", { n: 2 }, { singletonKey: "lock-a" });
    const other = await boss.send("strict", { n: 3 }, { singletonKey: "lock-b" });
    const fetched = await boss.fetch("strict", { batchSize: 10 });
    expect(fetched.map((job) => job.id).sort()).toEqual([first, other].sort());
    expect(await boss.fetch("strict", { batchSize: 10 })).toEqual([]);
    await boss.complete("strict", [first as string, other as string]);
    const [next, ...rest] = await boss.fetch("strict", { batchSize: 10 });
    expect([next?.id, rest]).toEqual([second, []]);
  });

  it("a worker runs a job and pg-boss completes it with the handler's result", async () => {
    await boss.createQueue("worker");
    const id = (await boss.send("worker", { word: "ping" })) as string;
    let ran = 0;
    await boss.work<{ word: string }>("worker", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      ran += 1;
      return { echo: job?.data.word };
    });
    // pg-boss completes the job after the handler resolves, in its own time: bounded polling on
    // the job's state, the one condition it exposes.
    let state: string | undefined;
    for (let attempt = 0; attempt < 400 && state !== "completed"; attempt += 1) {
      state = (await boss.getJobById("worker", id))?.state;
      if (state !== "completed") await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await boss.getJobById("worker", id)).toMatchObject({
      state: "completed",
      output: { echo: "ping" },
    });
    expect(ran).toBe(1);
    await boss.offWork("worker");
  });
});
