// Tool calls as OpenTelemetry spans (issue 19): @toolbatch/otel's tracer as executeBatch's onEvent,
// the spans printed by the SDK's ConsoleSpanExporter. One execute_tool span per call (GenAI
// semantic conventions), under a toolbatch.batch span, under the application's own "chat" span.
//   pnpm exec tsx examples/otel-console.ts
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { defineTool, executeBatch, type ToolCallBatch } from "@toolbatch/core";
import { createToolTracer, GEN_AI_SCHEMA_URL } from "@toolbatch/otel";
import { z } from "zod";

// The SDK as an application sets it up: AsyncLocalStorage keeps the active span across awaits.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
trace.setGlobalTracerProvider(provider);
const appTracer = trace.getTracer("otel-console-example");

const getWeather = defineTool({
  name: "get_weather",
  description: "Current weather for a city",
  input: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, celsius: city === "Oslo" ? 4 : 21 }),
});

// The batch an adapter's toBatch would give for a turn with three parallel calls.
const batch: ToolCallBatch = {
  provider: "example",
  complete: true,
  turn: null,
  calls: [
    { id: "call_0", index: 0, name: "get_weather", input: { city: "Paris" } },
    { id: "call_1", index: 1, name: "get_weather", input: { city: "Oslo" } },
    { id: "call_2", index: 2, name: "book_flight", input: { to: "Lima" } },
  ],
};

const toolTracer = createToolTracer({
  tracer: provider.getTracer("otel-console-example", "1.0.0", { schemaUrl: GEN_AI_SCHEMA_URL }),
  tools: [getWeather],
  // Content is opt-in: the city is kept, anything else of the arguments dropped.
  captureContent: true,
  redact: (kind, value) =>
    kind === "arguments" ? { city: (value as { city?: unknown }).city ?? null } : value,
});

const results = await appTracer.startActiveSpan("chat", async (chat) => {
  const answered = await executeBatch(batch, [getWeather], { onEvent: toolTracer });
  chat.end();
  return answered;
});
await provider.shutdown();
console.log(
  `results: ${results.map((result) => (result.ok ? "ok" : result.error.code)).join(", ")}`,
);
