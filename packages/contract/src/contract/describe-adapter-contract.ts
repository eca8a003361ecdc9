import {
  type AnyTool,
  defineTool,
  PORTABLE_CALL_ID,
  type ProviderAdapter,
  ResultMismatchError,
  type ToolCallBatch,
  type ToolErrorCode,
  type ToolResult,
  toolFailure,
  toolSuccess,
} from "@toolbatch/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRecordings, type Recording } from "../recordings/load-recordings.js";
import type { WireProfile } from "../wires/wire-profile.js";
import { assembleStream } from "./assemble-stream.js";
import { itRecognizesItsAnswers } from "./recognition-contract.js";
import { recordedResults } from "./recorded-results.js";
import { itKeepsReportedCallsInAnyPrefix } from "./stream-prefix-property.js";

/** Options of {@link describeAdapterContract}. */
export interface AdapterContractOptions<Response, StreamEvent, Request, Message> {
  /** Makes a fresh adapter; called once per test so no state leaks between them. */
  adapter: () => ProviderAdapter<Response, StreamEvent, Request, Message>;
  /** The adapter's wire protocol. */
  wire: WireProfile<Response, StreamEvent, Request, Message>;
  /** The recordings to run; default: every recording the kit ships for `wire.vendor`. */
  recordings?: readonly Recording[];
  /** fast-check runs per property; default 50. */
  numRuns?: number;
}

const ERROR_CODES: readonly ToolErrorCode[] = [
  "unknown_tool",
  "invalid_input",
  "execution_failed",
  "invalid_output",
  "timeout",
  "aborted",
  "not_executed",
];

/** Tools that exercise the declaration encoder: nesting, arrays, enums, no parameters. */
const SAMPLE_TOOLS: readonly AnyTool[] = [
  defineTool({
    name: "search_flights",
    description: "Find flights between two airports",
    input: {
      jsonSchema: {
        type: "object",
        properties: {
          from: { type: "string", description: "IATA code" },
          to: { type: "string" },
          passengers: {
            type: "array",
            items: {
              type: "object",
              properties: { age: { type: "integer" } },
              required: ["age"],
              additionalProperties: false,
            },
          },
          cabin: { type: "string", enum: ["economy", "business"] },
        },
        required: ["from", "to", "passengers", "cabin"],
        additionalProperties: false,
      },
    },
    execute: () => [],
  }),
  defineTool({
    name: "get_time",
    description: "The current time",
    input: { jsonSchema: { type: "object", properties: {}, additionalProperties: false } },
    execute: () => new Date(0).toISOString(),
  }),
];

/**
 * Registers the whole contract suite of an adapter with vitest: one call from the adapter's test
 * file. What it checks follows the adapter's declared `capabilities`, never a skip list:
 * - every recording decodes to the recorded calls (names, ids, parsed inputs, completeness);
 * - streams report each call complete exactly once, and any re-chunking assembles the same batch
 *   and the same echo; a recorded response streamed (`wire.streamOf`) assembles to the batch and
 *   echo of the response unstreamed, so a streamed turn sends back what the unstreamed one does;
 *   a stream cut off anywhere keeps every call it reported in its batch (eager execution may
 *   already run them);
 * - `toFollowUp` reproduces the recorded follow-up request where one exists, and every follow-up
 *   validates against the vendor's published schema;
 * - any mix of ok and error results gives one carrier per call, in call order, with the vendor's
 *   error flag or a clear text; mismatched result lists are refused with `ResultMismatchError`;
 * - `parallel: false` produces the vendor's switch, or nothing where the adapter says `client-only`;
 * - `isResponse` and `isStreamEvent` accept every recording and refuse other vendors' recordings,
 *   SDK wrappers and non-responses (`runToolLoop` checks what `send` returns with them).
 */
export function describeAdapterContract<Response, StreamEvent, Request, Message>(
  options: AdapterContractOptions<Response, StreamEvent, Request, Message>,
): void {
  const { wire } = options;
  const make = options.adapter;
  const recordings = options.recordings ?? loadRecordings(wire.vendor);
  const numRuns = options.numRuns ?? 50;
  const { provider, capabilities } = make();

  const decode = (recording: Recording): ToolCallBatch => {
    const adapter = make();
    if (recording.kind === "json") return adapter.toBatch(wire.response(recording));
    return assembleStream(
      adapter,
      wire.parseStream(recording.stream as NonNullable<Recording["stream"]>),
    ).batch;
  };
  const baseRequest = (recording: Recording) => recording.request as Request | undefined;

  describe(`${provider} adapter contract`, () => {
    it("declares its capabilities as data", () => {
      expect(["native", "client-only"]).toContain(capabilities.parallelToggle);
      expect(["always", "sometimes"]).toContain(capabilities.callIds);
      expect(["native", "text"]).toContain(capabilities.errorFlag);
      expect(typeof capabilities.streaming).toBe("boolean");
    });

    it("has recordings to run", () => {
      expect(recordings.length).toBeGreaterThan(0);
    });

    itRecognizesItsAnswers(make, wire, recordings, capabilities.streaming);

    describe.each(recordings.map((recording) => [recording.key, recording] as const))(
      "recording %s",
      (_key, recording) => {
        it("decodes to the recorded calls", () => {
          const batch = decode(recording);
          expect(batch.provider).toBe(provider);
          expect(batch.complete).toBe(recording.expected.complete);
          expect(batch.calls.map((call) => call.index)).toStrictEqual(batch.calls.map((_, i) => i));
          expect(batch.calls.map((call) => ({ name: call.name, input: call.input }))).toStrictEqual(
            recording.expected.calls.map((call) => ({ name: call.name, input: call.input })),
          );
          recording.expected.calls.forEach((expected, i) => {
            const call = batch.calls[i];
            if (expected.id === null) {
              expect(call?.idSynthesized).toBe(true);
              expect(call?.id).toMatch(PORTABLE_CALL_ID);
            } else {
              expect(call?.id).toBe(expected.id);
            }
          });
        });

        if (recording.kind === "stream") {
          const events = () =>
            wire.parseStream(recording.stream as NonNullable<Recording["stream"]>);

          it("reports each call complete exactly once, by the end of the stream", () => {
            const { batch, reported } = assembleStream(make(), events());
            if (batch.complete)
              expect(reported.map(identity)).toStrictEqual(batch.calls.map(identity));
            expect(new Set(reported.map((call) => call.index)).size).toBe(reported.length);
          });

          it("assembles the same batch and echo for any re-chunking of the stream (property)", () => {
            const reference = comparableTurn(make, assembleStream(make(), events()).batch);
            fc.assert(
              fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
                const rechunked = wire.rechunk(events(), cuts);
                const { batch } = assembleStream(make(), rechunked);
                expect(comparableTurn(make, batch)).toStrictEqual(reference);
              }),
              { numRuns },
            );
          });

          itKeepsReportedCallsInAnyPrefix(make, events, wire.rechunk, numRuns);
        }

        if (recording.kind === "json" && capabilities.streaming) {
          it("assembles the turn streamed, in any chunking, to the batch and echo of the turn unstreamed (property)", () => {
            const response = wire.response(recording);
            const unstreamed = comparableTurn(make, make().toBatch(response));
            fc.assert(
              fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
                const events = wire.rechunk(wire.streamOf(response), cuts);
                const { batch } = assembleStream(make(), events);
                expect(comparableTurn(make, batch)).toStrictEqual(unstreamed);
              }),
              { numRuns },
            );
          });

          itKeepsReportedCallsInAnyPrefix(
            make,
            () => wire.streamOf(wire.response(recording)),
            wire.rechunk,
            numRuns,
          );
        }

        const followUp = wire.recordedFollowUp(recording);
        const request = baseRequest(recording);
        if (followUp && request) {
          it("reproduces the recorded follow-up", () => {
            const batch = decode(recording);
            const results = recordedResults(batch, wire.readResults(followUp));
            expect(results, "the recorded follow-up answers every call").toBeDefined();
            const ours = make().toFollowUp(batch, results as ToolResult[]);
            expect(wire.comparable(ours)).toStrictEqual(wire.comparable(followUp));
          });
        }

        if (request) {
          it("sends follow-ups the vendor's schema accepts, for any mix of ok and error results (property)", () => {
            const batch = decode(recording);
            fc.assert(
              fc.property(resultsFor(batch), (results) => {
                const adapter = make();
                const messages = adapter.toFollowUp(batch, results);
                const next = wire.withHistory(request, [...wire.history(request), ...messages]);
                expect(wire.validateRequest(next)).toStrictEqual([]);
                const carriers = wire.readResults(messages);
                if (!batch.warnings?.some((w) => w.code === "multi-tool-use-expanded")) {
                  expect(carriers).toHaveLength(batch.calls.length);
                  carriers.forEach((carrier, i) => {
                    const call = batch.calls[i];
                    const result = results[i] as ToolResult;
                    if (call && !call.idSynthesized) expect(carrier.callId).toBe(call.id);
                    if (result.ok) {
                      if (capabilities.errorFlag === "native") expect(carrier.error).not.toBe(true);
                    } else if (capabilities.errorFlag === "native") {
                      expect(carrier.error).toBe(true);
                      expect(carrier.text).toContain(result.error.message);
                    } else {
                      expect(carrier.text).toContain(result.error.message);
                      expect(carrier.text).toContain(result.error.code);
                    }
                  });
                }
              }),
              { numRuns },
            );
          });
        }

        it("refuses results that do not pair one to one, in order, with the calls", () => {
          const batch = decode(recording);
          const ok = batch.calls.map((call) => toolSuccess(call, "ok"));
          const attempts: ToolResult[][] = [ok.slice(1), [...ok, ...ok.slice(0, 1)]];
          if (batch.calls.length > 1 && batch.calls[0]?.id !== batch.calls[1]?.id)
            attempts.push([...ok].reverse());
          for (const results of attempts) {
            let caught: unknown;
            try {
              make().toFollowUp(batch, results);
            } catch (error) {
              caught = error;
            }
            expect(
              ResultMismatchError.isInstance(caught),
              "toFollowUp throws ResultMismatchError",
            ).toBe(true);
          }
        });
      },
    );

    const anyRequest = recordings.map(baseRequest).find((request) => request !== undefined);
    if (anyRequest !== undefined) {
      it("declares tools in a shape the vendor's schema accepts", () => {
        const request = wire.withTools(anyRequest, make().tools(SAMPLE_TOOLS));
        expect(wire.validateRequest(request)).toStrictEqual([]);
      });

      if (capabilities.parallelToggle === "native") {
        it("turns parallel calls off with the vendor's own switch", () => {
          const adapter = make();
          const off = adapter.requestOptions({ parallel: false });
          const on = adapter.requestOptions({ parallel: true });
          expect(wire.disablesParallel(off)).toBe(true);
          expect(wire.disablesParallel(on)).toBe(false);
          for (const fields of [off, on]) {
            const request = wire.withHistory(anyRequest, wire.history(anyRequest), fields);
            expect(wire.validateRequest(request)).toStrictEqual([]);
          }
        });
      } else {
        it("reports parallel: false as client-only: no request field claims to switch it", () => {
          const fields = make().requestOptions({ parallel: false });
          expect(wire.disablesParallel(fields)).toBe(false);
        });
      }

      it("sends no parallel switch on a request without tools", () => {
        expect(make().requestOptions({ parallel: false, toolCount: 0 })).toStrictEqual({});
      });
    }
  });
}

/**
 * What must match between two assemblies of one turn: the batch's calls and completeness, and
 * the follow-up with every call answered `"ok"`, the echoed turn included (synthesized ids,
 * which differ run to run, read as placeholders).
 */
function comparableTurn(
  make: () => Pick<ProviderAdapter<unknown, unknown, unknown, unknown>, "toFollowUp">,
  batch: ToolCallBatch,
) {
  const synthesized = batch.calls.filter((call) => call.idSynthesized);
  let followUp = JSON.stringify(
    make().toFollowUp(
      batch,
      batch.calls.map((call) => toolSuccess(call, "ok")),
    ),
  );
  for (const call of synthesized) {
    followUp = followUp.replaceAll(JSON.stringify(call.id), `"(synthesized ${call.index})"`);
  }
  return {
    complete: batch.complete,
    calls: batch.calls.map((call) => ({
      id: call.idSynthesized ? "(synthesized)" : call.id,
      name: call.name,
      input: call.input,
      inputError: call.inputError !== undefined,
      index: call.index,
    })),
    followUp: JSON.parse(followUp) as unknown,
  };
}

function identity(call: { id: string; index: number }) {
  return `${call.index}:${call.id}`;
}

function resultsFor(batch: ToolCallBatch): fc.Arbitrary<ToolResult[]> {
  return fc.tuple(
    ...batch.calls.map((call) =>
      fc.oneof(
        fc.jsonValue().map((output) => toolSuccess(call, output) as ToolResult),
        fc
          .record({
            code: fc.constantFrom(...ERROR_CODES),
            message: fc.string({ minLength: 1, maxLength: 40 }),
          })
          .map(({ code, message }) => toolFailure(call, code, message) as ToolResult),
      ),
    ),
  );
}
