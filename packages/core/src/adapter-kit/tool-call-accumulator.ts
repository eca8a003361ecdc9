import type { BatchWarning } from "../batch/tool-call.js";
import type { RawToolCall } from "./create-tool-call.js";

/** How a stream decoder names a call while it streams: a block index, an item id, a tool-call index. */
export type StreamCallKey = string | number;

/** What a decoder knows of a call when it first appears, or learns later. */
export interface StreamCallInfo {
  /** The vendor's call id, when known. */
  readonly id?: string | null | undefined;
  /** The tool name, when known. */
  readonly name?: string | null | undefined;
}

/** The state of a stream's calls at its end. */
export interface AccumulatedCalls {
  /** Every call seen, in the order the calls first appeared. */
  readonly calls: RawToolCall[];
  /** The calls the stream never marked complete (cut off mid-arguments); a subset of `calls`. */
  readonly unterminated: RawToolCall[];
  /** What was odd in the stream (fragments after completion, ...). */
  readonly warnings: BatchWarning[];
}

/**
 * Collects the calls of one streamed turn: argument fragments are appended (V8 keeps them as a rope
 * and flattens it once, so assembly is linear; nothing is parsed per delta), and each call is
 * reported complete exactly once. Vendor stream decoders map their events onto it and turn each
 * completed {@link RawToolCall} into `ToolCall`s with the same converter their unstreamed decoder
 * uses (for most vendors, `createToolCall`).
 */
export interface ToolCallAccumulator {
  /** Starts a call under `key`, or adds an id or name learned later. Calls are indexed in order of first `open`. */
  open(key: StreamCallKey, info?: StreamCallInfo): void;
  /** True when a call is open (started and not yet complete) under `key`. */
  isOpen(key: StreamCallKey): boolean;
  /** True when any call, open or complete, was started under `key`. */
  has(key: StreamCallKey): boolean;
  /** Appends an argument fragment to the call under `key`, opening it if needed. */
  append(key: StreamCallKey, fragment: string): void;
  /** Sets the whole arguments at once (vendors that send parts whole), replacing any fragments. */
  setArguments(key: StreamCallKey, value: unknown): void;
  /** Completes the call under `key`: returns it the first time, `undefined` after (or for an unknown key). */
  complete(key: StreamCallKey): RawToolCall | undefined;
  /** Completes every open call, in order, and returns the ones completed now. */
  completeAll(): RawToolCall[];
  /** Ends the stream: every call, with the ones never completed built from what arrived. */
  finish(): AccumulatedCalls;
  /** How many calls have been opened so far. */
  readonly size: number;
}

interface Slot {
  readonly index: number;
  id: string | undefined;
  name: string;
  text: string;
  whole: { value: unknown } | undefined;
  call: RawToolCall | undefined;
}

/** Creates a {@link ToolCallAccumulator} for one streamed turn. */
export function createToolCallAccumulator(): ToolCallAccumulator {
  const slots = new Map<StreamCallKey, Slot>();
  const ordered: Slot[] = [];
  const warnings: BatchWarning[] = [];
  // Streams send a call's fragments back to back: remember the last slot to skip the map.
  let lastKey: StreamCallKey | undefined;
  let lastSlot: Slot | undefined;

  const openSlot = (key: StreamCallKey, info?: StreamCallInfo): Slot => {
    let slot = key === lastKey ? lastSlot : slots.get(key);
    if (!slot) {
      slot = {
        index: ordered.length,
        id: undefined,
        name: "",
        text: "",
        whole: undefined,
        call: undefined,
      };
      slots.set(key, slot);
      ordered.push(slot);
    }
    lastKey = key;
    lastSlot = slot;
    if (info) {
      if (info.id) slot.id = info.id;
      if (info.name) slot.name = info.name;
    }
    return slot;
  };

  const build = (slot: Slot): RawToolCall => {
    const args = slot.whole ? slot.whole.value : slot.text;
    slot.text = "";
    slot.call = { id: slot.id, name: slot.name, arguments: args, index: slot.index };
    return slot.call;
  };

  return {
    open(key, info) {
      openSlot(key, info);
    },
    isOpen(key) {
      const slot = slots.get(key);
      return slot !== undefined && slot.call === undefined;
    },
    has(key) {
      return slots.has(key);
    },
    append(key, fragment) {
      const slot = openSlot(key);
      if (slot.call) {
        warnings.push({
          code: "fragment-after-complete",
          message: `An argument fragment arrived for call ${slot.index} (${slot.name}) after it was complete; it was ignored.`,
          callIndex: slot.index,
        });
        return;
      }
      slot.text += fragment;
    },
    setArguments(key, value) {
      const slot = openSlot(key);
      slot.text = "";
      slot.whole = { value };
    },
    complete(key) {
      const slot = slots.get(key);
      if (!slot || slot.call) return undefined;
      return build(slot);
    },
    completeAll() {
      const completed: RawToolCall[] = [];
      for (const slot of ordered) if (!slot.call) completed.push(build(slot));
      return completed;
    },
    finish() {
      const unterminated: RawToolCall[] = [];
      for (const slot of ordered) if (!slot.call) unterminated.push(build(slot));
      return { calls: ordered.map((slot) => slot.call as RawToolCall), unterminated, warnings };
    },
    get size() {
      return ordered.length;
    },
  };
}
