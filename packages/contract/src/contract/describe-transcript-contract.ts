import {
  type CallIdPolicy,
  InvalidHistoryError,
  InvalidTranscriptError,
  type RenderedHistory,
  type Transcript,
  type TranscriptAssistantTurn,
  type TranscriptCodec,
} from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRecordings, type Recording } from "../recordings/load-recordings.js";
import { hostileHistoryArbitrary } from "../transcript/hostile-history-arbitrary.js";
import { hostileTranscriptArbitrary } from "../transcript/hostile-transcript-arbitrary.js";
import { transcriptArbitrary } from "../transcript/transcript-arbitrary.js";
import {
  assistantTurnsOf,
  callsOf,
  deepFreeze,
  renderAndReadBack,
  stateOf,
  transcriptFacts,
  withoutForeignState,
} from "../transcript/transcript-helpers.js";
import type { WireProfile } from "../wires/wire-profile.js";

/** Options of {@link describeTranscriptContract}. */
export interface TranscriptContractOptions<Request, Message> {
  /** Makes the codec under test; called once per test. */
  codec: () => TranscriptCodec<Message>;
  /** The vendor's wire protocol: its history, requests and schema. */
  wire: WireProfile<unknown, unknown, Request, Message>;
  /** The ids the vendor accepts; every rendered id must pass. */
  callIds: CallIdPolicy;
  /** Recorded conversations to read; default: every recording the kit ships for `wire.vendor` with a follow-up request. */
  recordings?: readonly Recording[];
  /**
   * The request fields that carry `RenderedHistory.system` for vendors that take it outside the
   * history (Anthropic `{ system }`, Gemini `{ systemInstruction }`).
   */
  systemFields?: (system: string) => Partial<Request>;
  /** What the vendor rejects that its published schema lets pass (Anthropic: blank text). */
  problems?: (rendered: RenderedHistory<Message>) => string[];
  /** fast-check runs per property; default 100. */
  numRuns?: number;
}

const FOREIGN_VENDOR = "contract-kit-foreign-vendor";

/**
 * Registers the contract suite of a transcript codec with vitest: one call from the codec's test
 * file. It checks what every codec owes the cross-provider promise: recorded conversations read
 * with every call answered; what it renders passes the vendor's published schema and reads back
 * as the same conversation; ids it rejects re-mapped, consistently and reversibly; other vendors'
 * state dropped with a warning; no input written to; the same output for the same input; any
 * malformed history (`hostileHistoryArbitrary`) refused with `InvalidHistoryError` alone, any
 * malformed transcript (`hostileTranscriptArbitrary`) with `InvalidTranscriptError` alone.
 */
export function describeTranscriptContract<Request, Message>(
  options: TranscriptContractOptions<Request, Message>,
): void {
  const { wire, callIds } = options;
  const recordings = (options.recordings ?? loadRecordings(wire.vendor)).filter(
    (recording) => recording.followUpRequest !== undefined,
  );
  const base = (recordings.find((recording) => recording.request) ?? loadRecordings(wire.vendor)[0])
    ?.request as Request;
  const numRuns = options.numRuns ?? 100;

  const problemsOf = (rendered: RenderedHistory<Message>) => {
    const fields =
      rendered.system !== undefined && options.systemFields
        ? options.systemFields(rendered.system)
        : {};
    return [
      ...wire.validateRequest(wire.withHistory(base, rendered.messages, fields)),
      ...(options.problems?.(rendered) ?? []),
    ];
  };

  /** Renders, checks the request, reads back; the transcript read back as sent and with ids restored. */
  const roundTrip = (transcript: Transcript) => {
    const trip = renderAndReadBack(options.codec(), transcript);
    expect(problemsOf(trip.rendered)).toEqual([]);
    return trip;
  };

  describe(`transcript contract: ${options.codec().vendor} (${wire.vendor} wire)`, () => {
    it("has recorded conversations to read", () => {
      expect(recordings.length).toBeGreaterThan(0);
    });

    describe.each(recordings.map((recording) => [recording.key, recording] as const))(
      "recording %s",
      (_key, recording) => {
        const history = () =>
          deepFreeze(wire.history(structuredClone(recording.followUpRequest) as Request));

        it("reads the recorded batch with every call answered, and nothing written to the history", () => {
          const { transcript, warnings } = options.codec().read(history());
          const codes = warnings.map((warning) => warning.code);
          expect(codes).not.toContain("result-missing");
          expect(codes).not.toContain("result-orphaned");
          const batch = assistantTurnsOf(transcript).find(
            (turn) => turn.calls.length === recording.expected.calls.length,
          ) as TranscriptAssistantTurn;
          expect(batch?.calls.map((call) => [call.name, call.input])).toEqual(
            recording.expected.calls.map((call) => [call.name, call.input]),
          );
          expect(batch.results?.map((result) => result.callId)).toEqual(
            batch.calls.map((call) => call.id),
          );
        });

        it("renders it as a request the vendor's schema accepts, which reads back the same", () => {
          const { transcript } = options.codec().read(history());
          const { restored } = roundTrip(deepFreeze(transcript));
          expect(restored).toStrictEqual(transcript);
        });

        it("reads and renders the same way every time", () => {
          const first = options.codec().read(history());
          expect(options.codec().read(history())).toStrictEqual(first);
          const rendered = options.codec().render(first.transcript);
          expect(options.codec().render(first.transcript)).toStrictEqual(rendered);
          expect(JSON.stringify(options.codec().render(first.transcript).messages)).toBe(
            JSON.stringify(rendered.messages),
          );
        });

        it("returns nothing that is its input's: the transcript read shares no object with the history, the history rendered none with the transcript", () => {
          const source = history();
          const { transcript } = options.codec().read(source);
          expect(sharedObjects(source, transcript)).toEqual([]);
          expect(sharedObjects(transcript, options.codec().render(transcript).messages)).toEqual(
            [],
          );
        });
      },
    );

    it("renders any conversation: schema-valid, ids valid and unique, every text, call and result back (property)", () => {
      fc.assert(
        fc.property(transcriptArbitrary(), (transcript) => {
          const { back, restored } = roundTrip(deepFreeze(transcript));
          expect(transcriptFacts(restored)).toStrictEqual(transcriptFacts(transcript));
          expect(callsOf(restored).map((call) => call.id)).toEqual(
            callsOf(transcript).map((call) => call.id),
          );
          const sent = callsOf(back)
            .filter((call) => !call.idSynthesized)
            .map((call) => call.id);
          for (const id of sent) expect(callIds.accepts(id), id).toBe(true);
          expect(new Set(sent).size).toBe(sent.length);
        }),
        { numRuns },
      );
    });

    it("refuses a history that is not an array, or holds a cycle, nesting thousands deep or a value that throws when read, saying where", () => {
      const refusal = (history: unknown): InvalidHistoryError => {
        let thrown: unknown;
        try {
          options.codec().read(history as Message[]);
        } catch (error) {
          thrown = error;
        }
        expect(InvalidHistoryError.isInstance(thrown), String(thrown)).toBe(true);
        return thrown as InvalidHistoryError;
      };
      for (const notAnArray of [undefined, null, "hi", 42, {}, { length: 1, 0: {} }]) {
        const error = refusal(notAnArray);
        expect(error.index).toBe(-1);
        expect(error.message).toMatch(/^\[toolbatch\/[a-z]+\] history is not a history/);
      }
      const cyclic: Record<string, unknown> = { role: "user" };
      cyclic.content = [cyclic];
      let deep: unknown = "x";
      for (let level = 0; level < 5_000; level++) deep = [deep];
      const throwing = Object.defineProperty({ role: "user" }, "content", {
        enumerable: true,
        get() {
          throw new Error("storage went away");
        },
      });
      const cases: [unknown, string][] = [
        [cyclic, "history[1].content[0] is cyclic"],
        [{ role: "user", content: deep }, "history[1].content[0][0][0][0][0]…"],
        [throwing, "history[1].content could not be read: Error: storage went away"],
        [{ role: "user", content: [{ type: "text", text: 10n }] }, "is not JSON data"],
      ];
      for (const [entry, says] of cases) {
        const error = refusal([{ role: "user", content: "hi" }, entry]);
        expect(error.index).toBe(1);
        expect(error.message).toContain(says);
      }
    });

    it("reads a malformed history, or refuses it with InvalidHistoryError and nothing else, and renders what it read (property)", () => {
      fc.assert(
        fc.property(hostileHistoryArbitrary(), (hostile) => {
          const codec = options.codec();
          let reading: ReturnType<typeof codec.read> | undefined;
          try {
            reading = codec.read(hostile.history() as Message[]);
          } catch (error) {
            expect(InvalidHistoryError.isInstance(error), String(error)).toBe(true);
            return;
          }
          // What was read is a transcript: rendering it throws nothing.
          codec.render(reading.transcript);
        }),
        { numRuns },
      );
    });

    it("renders a malformed transcript as a history it reads back, or refuses it with InvalidTranscriptError and nothing else (property)", () => {
      fc.assert(
        fc.property(hostileTranscriptArbitrary(), (hostile) => {
          const codec = options.codec();
          let rendered: RenderedHistory<Message> | undefined;
          try {
            rendered = codec.render(hostile.transcript() as Transcript);
          } catch (error) {
            expect(InvalidTranscriptError.isInstance(error), String(error)).toBe(true);
            expect((error as Error).message).toMatch(
              /^\[toolbatch\/[a-z]+\] (turn|the transcript)/,
            );
            return;
          }
          codec.read(rendered.messages);
        }),
        { numRuns },
      );
    });

    it("keeps system instructions where its systemPlacement says: outside the history, in it, or nowhere", () => {
      const codec = options.codec();
      const transcript = conversationWithIds(["call_a"]);
      const rendered = codec.render(transcript);
      const readBack = codec.read(rendered.messages).transcript.system;
      const placement = codec.systemPlacement ?? "history";
      expect({ returned: rendered.system, inHistory: readBack }).toStrictEqual({
        returned: placement === "request" ? transcript.system : undefined,
        inHistory: placement === "history" ? transcript.system : undefined,
      });
    });

    it("re-maps ids the vendor rejects or that repeat, the same in call and result, listed in idMap", () => {
      const ids = ["functions.lookup:0", "call_0", "call_0", "has space", "x".repeat(64)];
      const transcript = conversationWithIds(ids);
      const { rendered, back, restored } = roundTrip(deepFreeze(transcript));
      expect(callsOf(restored).map((call) => call.id)).toEqual(ids);
      const sent = callsOf(back).filter((call) => !call.idSynthesized);
      for (const call of sent) expect(callIds.accepts(call.id), call.id).toBe(true);
      expect(new Set(sent.map((call) => call.id)).size).toBe(sent.length);
      for (const [renderedId, original] of rendered.idMap) {
        expect(ids).toContain(original);
        expect(renderedId).not.toBe(original);
      }
    });

    it("drops other vendors' state with a warning, and keeps the rest", () => {
      const plain = conversationWithIds(["call_a", "call_b"]);
      const [user, turn] = plain.turns as [Transcript["turns"][number], TranscriptAssistantTurn];
      const transcript: Transcript = {
        turns: [
          user,
          {
            ...turn,
            state: [{ vendor: FOREIGN_VENDOR, kind: "reasoning", value: { secret: "x" } }],
            calls: turn.calls.map((call) => ({
              ...call,
              state: { vendor: FOREIGN_VENDOR, kind: "signature", value: "sig" },
            })),
          },
        ],
      };
      const codec = options.codec();
      const { rendered, restored } = roundTrip(deepFreeze(transcript));
      expect(rendered.warnings.map((warning) => warning.code)).toContain("state-dropped");
      expect(stateOf(restored).filter((item) => item.vendor === FOREIGN_VENDOR)).toEqual([]);
      expect(transcriptFacts(restored)).toStrictEqual(transcriptFacts(transcript));
      expect(JSON.stringify(rendered.messages)).not.toContain("contract-kit-foreign-vendor");
      expect(withoutForeignState(restored, codec.vendor)).toStrictEqual(restored);
    });

    it("leaves a last turn's calls pending, and refuses results that do not answer the calls", () => {
      const answered = conversationWithIds(["call_a", "call_b"]);
      const [user, turn] = answered.turns as [Transcript["turns"][number], TranscriptAssistantTurn];
      const { results: _results, ...pending } = turn;
      const { restored } = roundTrip({ turns: [user, pending] });
      expect(assistantTurnsOf(restored)[0]?.results).toBeUndefined();

      const swapped: Transcript = {
        turns: [user, { ...turn, results: [...(turn.results ?? [])].reverse() }],
      };
      let thrown: unknown;
      try {
        options.codec().render(swapped);
      } catch (error) {
        thrown = error;
      }
      expect(InvalidTranscriptError.isInstance(thrown)).toBe(true);
    });
  });
}

/** A question and one answered batch with these call ids, then a text answer. */
function conversationWithIds(ids: readonly string[]): Transcript {
  const calls = ids.map((id, index) => ({ id, name: "lookup", input: { index } }));
  return {
    system: "Answer briefly.",
    turns: [
      { role: "user", text: "Look these up." },
      {
        role: "assistant",
        text: "",
        calls,
        results: calls.map((call, index) => ({
          callId: call.id,
          name: call.name,
          isError: index === 1,
          output: index === 1 ? "Error (timeout): too slow" : { found: index },
        })),
      },
      { role: "assistant", text: "Done.", calls: [] },
    ],
  };
}

/** The objects and arrays reachable from `output` that are also reachable from `input`. */
function sharedObjects(input: unknown, output: unknown): unknown[] {
  const seen = new Set<unknown>();
  const collect = (value: unknown): void => {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    for (const inner of Object.values(value)) collect(inner);
  };
  collect(input);
  const shared: unknown[] = [];
  const visited = new Set<unknown>();
  const find = (value: unknown): void => {
    if (typeof value !== "object" || value === null || visited.has(value)) return;
    visited.add(value);
    if (seen.has(value)) shared.push(value);
    else for (const inner of Object.values(value)) find(inner);
  };
  find(output);
  return shared;
}
