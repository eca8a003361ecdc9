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
 * And a cut-off turn reports no stop reason of its own making: `stopReason` is what the vendor
 * sent, so a prefix has none or the whole stream's. `runToolLoop` reads an incomplete streamed
 * batch without one as a stream the network cut (`TruncatedStreamError`), not a turn the vendor
 * cut off, whose partial turn it would send back.
 *
 * Every prefix of the stream as given is checked, then prefixes of random re-chunkings of it.
 */
export function itKeepsReportedCallsInAnyPrefix<Event>(
  make: () => Assembling<Event>,
  events: () => Event[],
  rechunk: (events: readonly Event[], cuts: readonly number[]) => Event[],
  numRuns: number,
): void {
  it("keeps every call push() reported, and invents no stop reason, wherever the stream is cut off", () => {
    const whole = events();
    const stopReason = assemble(make, whole).stopReason;
    for (let length = 0; length <= whole.length; length++) {
      expectCutOffTurnKept(make, whole.slice(0, length), stopReason, `cut after ${length} events`);
    }
  });

  it("keeps every call push() reported, and invents no stop reason, for any re-chunking cut anywhere (property)", () => {
    const stopReason = assemble(make, events()).stopReason;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.nat(), (cuts, end) => {
        const rechunked = rechunk(events(), cuts);
        const length = end % (rechunked.length + 1);
        const where = `cut after ${length} events`;
        expectCutOffTurnKept(make, rechunked.slice(0, length), stopReason, where);
      }),
      { numRuns },
    );
  });
}

function assemble<Event>(make: () => Assembling<Event>, events: readonly Event[]) {
  const assembler = make().createStreamAssembler();
  for (const event of events) assembler.push(event);
  return assembler.finish();
}

function expectCutOffTurnKept<Event>(
  make: () => Assembling<Event>,
  events: readonly Event[],
  stopReason: string | undefined,
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
  if (batch.stopReason !== undefined) {
    expect(batch.stopReason, `${where}: the stop reason is the vendor's`).toBe(stopReason);
  }
}
