import type { ProviderAdapter, ToolCall, ToolCallBatch } from "@toolbatch/core";

/** A stream run through an adapter's assembler. */
export interface AssembledStream {
  /** The batch `finish()` returned. */
  readonly batch: ToolCallBatch;
  /** The calls `push()` reported complete, in the order reported. */
  readonly reported: readonly ToolCall[];
}

/** Feeds every event to a new assembler of the adapter and finishes it. */
export function assembleStream<Event>(
  adapter: Pick<ProviderAdapter<unknown, Event, unknown, unknown>, "createStreamAssembler">,
  events: readonly Event[],
): AssembledStream {
  const assembler = adapter.createStreamAssembler();
  const reported: ToolCall[] = [];
  for (const event of events) reported.push(...assembler.push(event));
  return { batch: assembler.finish(), reported };
}
