import type { ProviderAdapter, ToolCall } from "@toolbatch/core";
import fc from "fast-check";
import { expect, it } from "vitest";

type Assembling<Event> = Pick<
  ProviderAdapter<unknown, Event, unknown, unknown>,
  "createStreamAssembler"
>;

/**
 * Registers the property that makes eager execution safe, for one stream of events: a turn cut
 * off anywhere (the stream truncated, the connection dropped) still puts every call `push()`
 * reported complete into `finish()`'s batch, at the index it was reported with, with the same id,
 * name and input. A call that was reported may already run; a batch without it could not be
 * answered (`startBatchExecution` refuses it with `BatchOrderError` after the tool ran).
 *
 * Every prefix of the stream as given is checked, then prefixes of random re-chunkings of it.
 */
export function itKeepsReportedCallsInAnyPrefix<Event>(
  make: () => Assembling<Event>,
  events: () => Event[],
  rechunk: (events: readonly Event[], cuts: readonly number[]) => Event[],
  numRuns: number,
): void {
  it("keeps every call push() reported in finish()'s batch, wherever the stream is cut off", () => {
    const whole = events();
    for (let length = 0; length <= whole.length; length++) {
      expectReportedCallsKept(make, whole.slice(0, length), `cut after ${length} events`);
    }
  });

  it("keeps every call push() reported in finish()'s batch for any re-chunking cut anywhere (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.nat(), (cuts, end) => {
        const rechunked = rechunk(events(), cuts);
        const length = end % (rechunked.length + 1);
        expectReportedCallsKept(make, rechunked.slice(0, length), `cut after ${length} events`);
      }),
      { numRuns },
    );
  });
}

function expectReportedCallsKept<Event>(
  make: () => Assembling<Event>,
  events: readonly Event[],
  where: string,
): void {
  const assembler = make().createStreamAssembler();
  const reported: ToolCall[] = [];
  for (const event of events) reported.push(...assembler.push(event));
  const batch = assembler.finish();
  for (const call of reported) {
    const kept = batch.calls[call.index];
    expect(
      kept && { id: kept.id, name: kept.name, input: kept.input, index: kept.index },
      `${where}: call ${call.index} (${call.name}, ${call.id}) was reported by push() and must be in the batch`,
    ).toStrictEqual({ id: call.id, name: call.name, input: call.input, index: call.index });
  }
}
