/**
 * toolbatch quickstart, fully offline: one batch of parallel tool calls, as any vendor's adapter
 * would hand it over, run twice (side by side, then one at a time), with a timeline of each run.
 *
 *   pnpm example
 */
import {
  defineTool,
  type ExecutionEvent,
  executeBatch,
  renderResultText,
  type ToolCallBatch,
} from "@toolbatch/core";
import { z } from "zod";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

const latency: Record<string, number> = { Paris: 120, Tokyo: 200, Lima: 80, Oslo: 160 };

// Independent lookups: they may run side by side.
const getWeather = defineTool({
  name: "get_weather",
  description: "Current temperature in a city, in °C",
  input: z.object({ city: z.string().min(1) }),
  execute: async ({ city }, { signal }) => {
    await sleep(latency[city] ?? 100, signal);
    return { city, celsius: Math.round(city.length * 3.7) };
  },
});

// A write to shared state: calls on the same note run one at a time, in the model's order.
const notes = new Map<string, string[]>();
const appendNote = defineTool({
  name: "append_note",
  description: "Appends a line to a note",
  input: z.object({ note: z.string(), line: z.string() }),
  lock: ({ note }) => `note:${note}`,
  execute: async ({ note, line }, { signal }) => {
    const lines = notes.get(note) ?? [];
    await sleep(50, signal);
    notes.set(note, [...lines, line]);
    return { note, lines: lines.length + 1 };
  },
});

const tools = [getWeather, appendNote];

// What a model's turn looks like once an adapter has read it (here written by hand).
const calls = [
  { name: "get_weather", input: { city: "Paris" } },
  { name: "get_weather", input: { city: "Tokyo" } },
  { name: "get_weather", input: { city: "Lima" } },
  { name: "get_weather", input: { city: "Oslo" } },
  { name: "append_note", input: { note: "trip", line: "pack umbrella" } },
  { name: "append_note", input: { note: "trip", line: "book hotel" } },
  { name: "get_weather", input: { city: "" } }, // fails validation: the model gets the reason
  { name: "book_flight", input: { to: "Lima" } }, // no such tool: the model gets the tool list
];
const batch: ToolCallBatch = {
  provider: "example",
  complete: true,
  turn: null,
  calls: calls.map((call, index) => ({ id: `call_${index}`, index, ...call })),
};

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

async function run(parallel: boolean) {
  notes.clear();
  const spans = new Map<number, { start: number; end: number; ok: boolean }>();
  let origin = 0;
  const onEvent = (event: ExecutionEvent) => {
    if (event.type === "call-start") {
      origin ||= event.time;
      spans.set(event.call.index, { start: event.time, end: event.time, ok: true });
    } else if (event.type === "call-end" && event.startTime !== undefined) {
      spans.set(event.call.index, { start: event.startTime, end: event.time, ok: event.result.ok });
    }
  };
  const started = performance.now();
  const results = await executeBatch(batch, tools, { parallel, timeoutMs: 2_000, onEvent });
  const wall = performance.now() - started;

  const scale = 60 / Math.max(wall, 1);
  console.log(`\n${paint(1, `parallel: ${parallel}`)}  wall time ${wall.toFixed(0)} ms`);
  batch.calls.forEach((call, index) => {
    const span = spans.get(index);
    const label = `${call.name}(${JSON.stringify(call.input)})`.padEnd(48).slice(0, 48);
    const bar = span
      ? " ".repeat(Math.round((span.start - origin) * scale)) +
        paint(
          span.ok ? 32 : 31,
          "█".repeat(Math.max(1, Math.round((span.end - span.start) * scale))),
        )
      : paint(2, "(not run)");
    console.log(`  ${label} ${bar}`);
  });
  return { results, wall };
}

const side = await run(true);
const serial = await run(false);

console.log("\nResults, one per call, in call order:");
for (const result of side.results) {
  const text = renderResultText(result).replaceAll("\n", `\n${" ".repeat(16)}`);
  console.log(`  ${result.callId.padEnd(7)} ${result.ok ? "ok   " : "error"} ${text}`);
}
console.log(`\nnote "trip": ${JSON.stringify(notes.get("trip"))}`);
console.log(`speed-up from running side by side: ${(serial.wall / side.wall).toFixed(1)}x`);
