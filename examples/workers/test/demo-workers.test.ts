import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const demo = fileURLToPath(new URL("../demo-workers.ts", import.meta.url));
let group: number | undefined;

// The demo leads a process group of its own (detached): PostgreSQL and the workers are in it. If
// the demo fails or hangs, the whole group is killed here, so nothing outlives the test.
afterAll(() => {
  if (group === undefined) return;
  try {
    process.kill(-group, "SIGKILL");
  } catch {
    // The group is gone already: the demo stopped everything itself.
  }
});

it("runs the four lookups on three workers, one killed mid-call, each call answered once", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", demo], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  group = child.pid;
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, out).toBe(0);

  const ready = [...out.matchAll(/^ {2}(worker-\d \(pid \d+\)) ready$/gm)].map((m) => m[1]);
  expect(ready).toHaveLength(3);
  const killed =
    /✝ SIGKILL to (worker-\d \(pid \d+\)) at \d+ ms, while it ran lookup_city\(Tokyo\)/.exec(
      out,
    )?.[1];
  expect(ready, out).toContain(killed);
  // The ledger: four calls, Tokyo on the killed worker, ran once and answered outcome_unknown.
  const ledger = out.slice(out.indexOf("Who ran each call"), out.indexOf("What the model got"));
  const rows = [
    ...ledger.matchAll(
      /lookup_city\((\w+) *\) {2}(worker-\d \(pid \d+\)) +attempts (\d+) {2}(\w+)/g,
    ),
  ];
  expect(rows.map((row) => row[1]).sort()).toEqual(["Lima", "Oslo", "Paris", "Tokyo"]);
  for (const [, city, worker, attempts, outcome] of rows) {
    expect(ready).toContain(worker);
    expect(attempts).toBe("1");
    expect(outcome).toBe(city === "Tokyo" ? "outcome_unknown" : "ok");
    if (city === "Tokyo") expect(worker).toBe(killed);
  }
  // What the model got: one result per call, Tokyo's truthful.
  expect(out).toContain("What the model got (4 results for 4 calls)");
  expect(out).toMatch(/^ {2}Paris {2}ok \{"city":"Paris","country":"France"/m);
  expect(out).toMatch(
    /^ {2}Tokyo {2}outcome_unknown: Tool "lookup_city" started on a worker that stopped/m,
  );
  expect(out).toContain("follow-up: assistant[tool_call×4] → tool×4");
  expect(out).toContain("every call answered once, in call order: yes");
  expect(out).toContain("stop reason: done");
});
