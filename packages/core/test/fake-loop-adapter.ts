import {
  defineTool,
  jsonSchema,
  type ProviderAdapter,
  type TokenUsage,
  type ToolCall,
  type ToolCallBatch,
  type ToolResult,
} from "../src/index.js";

// A vendor protocol of our own, for loop tests that need what the loopback servers do not script
// (exact token counts, text in a tool turn, a stream without textOf). Not a mock of a vendor: the
// wire tests (test/tool-loop-*.test.ts) drive the five real SDKs.

/** One scripted answer: text, calls and usage. */
export interface FakeTurn {
  readonly kind: "response";
  readonly text?: string;
  readonly calls?: readonly { readonly name: string; readonly input?: unknown }[];
  readonly usage?: TokenUsage;
}

/** One event of a streamed answer: some text, one call, or the end with the usage. */
export interface FakeEvent {
  readonly kind: "event";
  readonly text?: string;
  readonly call?: { readonly name: string; readonly input?: unknown };
  readonly end?: { readonly usage?: TokenUsage };
}

export type FakeMessage =
  | { readonly role: "user"; readonly content: string }
  | { readonly role: "assistant"; readonly turn: FakeTurn }
  | { readonly role: "tool"; readonly result: ToolResult };

export interface FakeRequest {
  readonly messages: readonly FakeMessage[];
  /** The declared tools' names. */
  readonly tools?: readonly string[];
  readonly parallel?: boolean;
  /** A vendor-only field for `prepareStep`'s request changes. */
  readonly choice?: string;
}

const isKind = (value: unknown, kind: string) =>
  typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === kind;

function batchOf(turn: FakeTurn, complete: boolean, step: number): ToolCallBatch<FakeTurn> {
  const calls = (turn.calls ?? []).map(
    (call, index): ToolCall => ({
      id: `s${step}_${index}`,
      name: call.name,
      input: call.input ?? {},
      index,
    }),
  );
  return {
    provider: "fake",
    calls,
    complete,
    ...(complete ? { stopReason: calls.length > 0 ? "calls" : "end" } : {}),
    turn,
    ...(turn.text !== undefined ? { text: turn.text } : {}),
    ...(turn.usage ? { usage: turn.usage } : {}),
  };
}

/** The fake vendor's adapter; `textOf: false` leaves the assembler without `textOf`. */
export function fakeAdapter(
  options: { readonly textOf?: boolean } = {},
): ProviderAdapter<
  FakeTurn,
  FakeEvent,
  FakeRequest,
  FakeMessage,
  readonly string[],
  FakeTurn,
  Partial<FakeRequest>
> {
  // Call ids follow the number of answers read, as a vendor's would differ per turn.
  let answers = 0;
  return {
    provider: "fake",
    capabilities: {
      parallelToggle: "native",
      callIds: "always",
      errorFlag: "native",
      streaming: true,
    },
    responseTypes: { response: "FakeTurn", streamEvent: "FakeEvent" },
    isResponse: (value): value is FakeTurn => isKind(value, "response"),
    isStreamEvent: (value): value is FakeEvent => isKind(value, "event"),
    tools: (tools) => tools.map((tool) => tool.name),
    requestOptions: ({ parallel }) => ({ parallel }),
    toBatch: (turn) => batchOf(turn, true, answers++),
    toFollowUp: (batch, results) => [
      { role: "assistant", turn: batch.turn as FakeTurn },
      ...results.map((result) => ({ role: "tool" as const, result })),
    ],
    createStreamAssembler() {
      const step = answers++;
      let text: string | undefined;
      const calls: { name: string; input?: unknown }[] = [];
      let end: FakeEvent["end"];
      return {
        push(event) {
          if (event.text !== undefined) text = (text ?? "") + event.text;
          if (event.end) end = event.end;
          if (!event.call) return [];
          calls.push(event.call);
          return [batchOf({ kind: "response", calls }, true, step).calls.at(-1) as ToolCall];
        },
        ...(options.textOf === false ? {} : { textOf: (event: FakeEvent) => event.text }),
        finish: () =>
          batchOf(
            {
              kind: "response",
              ...(text !== undefined ? { text } : {}),
              calls,
              ...(end?.usage ? { usage: end.usage } : {}),
            },
            end !== undefined,
            step,
          ),
      };
    },
    history: (request) => [...request.messages],
    withHistory: (request, history) => ({ ...request, messages: [...history] }),
    withTools: (request, tools, { parallel }) => ({
      ...request,
      tools: [...(request.tools ?? []), ...tools.map((tool) => tool.name)],
      parallel,
    }),
  };
}

/** A streamed answer: each text piece, then each call, then the end with the usage. */
export async function* streamOf(turn: Omit<FakeTurn, "kind">, pieces: readonly string[] = []) {
  for (const text of pieces) yield { kind: "event", text } as FakeEvent;
  for (const call of turn.calls ?? []) yield { kind: "event", call } as FakeEvent;
  yield { kind: "event", end: turn.usage ? { usage: turn.usage } : {} } as FakeEvent;
}

/** The scripted answer to each step, whole. */
export const answer = (turn: Omit<FakeTurn, "kind">): FakeTurn => ({ kind: "response", ...turn });

/** The first request of the fake vendor's loops. */
export const firstRequest: FakeRequest = { messages: [{ role: "user", content: "go" }] };

/** A payment that always needs approval. */
export const pay = defineTool({
  name: "pay",
  description: "Pays.",
  input: jsonSchema<Record<string, unknown>>({ type: "object" }),
  needsApproval: true,
  execute: () => "paid",
});
