import { afterEach, describe, expect, it, vi } from "vitest";
import { defineTool, jsonSchema, runToolLoop } from "../src/index.js";
import { answer, type FakeRequest, fakeAdapter } from "./fake-loop-adapter.js";
import { deferred } from "./support.js";

// Issue 19: a lock key must hold across a loop's steps. Step 0's call on key K times out and its
// tool ignores the signal; the model calls the tool on K again in step 1 while that tool still
// runs. Until runToolLoop gives its steps one limiter (its own, by default), each step's batch
// knows only its own lock keys and step 1's call overlaps the stuck one: this test is marked
// `fails` until the loop makes it pass (see the issue-19 report), then becomes a plain `it`.

afterEach(() => {
  vi.useRealTimers();
});

describe("runToolLoop and lock keys across steps", () => {
  it("a stuck tool on key K in step 0 keeps step 1's call on K waiting until it ends", async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const stuck = deferred();
    let runs = 0;
    const write = defineTool({
      name: "write",
      description: "Writes the file.",
      input: jsonSchema<Record<string, unknown>>({ type: "object" }),
      lock: () => "K",
      timeoutMs: 10,
      execute: async () => {
        const run = runs++;
        log.push(`start ${run}`);
        // The first run ignores its signal and ends only when the test lets it.
        if (run === 0) await stuck.promise;
        log.push(`end ${run}`);
        return "written";
      },
    });
    const script = [
      { calls: [{ name: "write" }] },
      { calls: [{ name: "write" }] },
      { text: "done" },
    ];
    const loop = runToolLoop({
      adapter: fakeAdapter(),
      tools: [write],
      request: { messages: [{ role: "user", content: "write it" }] } satisfies FakeRequest,
      send: (_body, { step }) => answer(script[step] ?? { text: "done" }),
    });
    await vi.advanceTimersByTimeAsync(10);
    // Step 0 was answered `timeout`; step 1's call on K must not start beside the stuck tool.
    await vi.advanceTimersByTimeAsync(5);
    expect(log).toStrictEqual(["start 0"]);
    stuck.resolve();
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toStrictEqual(["start 0", "end 0", "start 1", "end 1"]);
    const result = await loop;
    // Step 0 timed out, step 1 ran once the lock was free, step 2 answered.
    expect(result.steps.map((step) => step.results.map((r) => r.ok))).toStrictEqual([
      [false],
      [true],
      [],
    ]);
  });
});
