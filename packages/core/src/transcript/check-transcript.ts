import { InvalidTranscriptError } from "../errors/invalid-transcript-error.js";
import { copyJsonValue } from "../values/copy-json-value.js";
import { describeValue } from "../values/describe-value.js";
import { isJsonObject } from "../values/is-json-object.js";
import type { Transcript, TranscriptTurn } from "./transcript.js";

/** The JSON type a transcript field must have, and how a message names it. */
type FieldType = "a string" | "a boolean" | "an array" | "an object";

const is: Readonly<Record<FieldType, (value: unknown) => boolean>> = {
  "a string": (value) => typeof value === "string",
  "a boolean": (value) => typeof value === "boolean",
  "an array": Array.isArray,
  "an object": isJsonObject,
};

/**
 * A transcript handed to a codec's `render` made plain data of the {@link Transcript} shape, or
 * refused. A transcript loaded from storage is untyped: without this, a turn that is `null`, a
 * `calls` that is a string or an id that is an object made each renderer throw a TypeError of its
 * own, and a tool name of 42 was rendered as a number the vendor refuses. Each turn is copied with
 * `copyJsonValue` (objects without a prototype become ordinary ones; a cycle, nesting too deep, a
 * BigInt, symbol or function, and a value that throws when read are refused), then its fields are
 * checked: texts, ids, names and vendor state's `vendor` and `kind` are strings, `isError` a
 * boolean, `calls`, `results` and `state` arrays.
 *
 * @param source the rendering package, e.g. `toolbatch/anthropic`, to start error messages.
 * @throws {InvalidTranscriptError} naming the turn and the field at fault (turn -1 when the fault
 *   is not one turn's: the transcript is not an object, its `turns` not an array, its `system` not
 *   a string).
 */
export function checkTranscript(transcript: unknown, source: string): Transcript {
  const refuse = (message: string, turn = -1, cause?: unknown): never => {
    throw new InvalidTranscriptError(message, turn, source, cause ? { cause } : undefined);
  };
  let system: unknown;
  let found: unknown;
  let length = 0;
  try {
    if (typeof transcript !== "object" || transcript === null || Array.isArray(transcript)) {
      refuse(`the transcript is not an object: got ${describeValue(transcript)}.`);
    }
    ({ system, turns: found } = transcript as { system?: unknown; turns?: unknown });
    if (!Array.isArray(found)) {
      refuse(`the transcript's turns are not an array: got ${describeValue(found)}.`);
    }
    length = (found as unknown[]).length;
  } catch (error) {
    if (InvalidTranscriptError.isInstance(error)) throw error;
    // A revoked proxy, or a getter or proxy trap that threw.
    refuse("the transcript could not be read.", -1, error);
  }
  if (system !== undefined && typeof system !== "string") {
    refuse(`the transcript's system is not a string: got ${describeValue(system)}.`);
  }
  const turns: unknown[] = [];
  for (let index = 0; index < length; index++) {
    let turn: unknown;
    try {
      turn = (found as unknown[])[index];
    } catch (error) {
      refuse(`turn ${index} could not be read.`, index, error);
    }
    // Turn by turn, as histories are copied entry by entry: the same nesting fits both.
    const fault = (where: string, problem: string) =>
      new InvalidTranscriptError(`turn ${index}${where} ${problem}`, index, source);
    const copied = copyJsonValue(turn, fault);
    checkTurn(copied, index, source);
    turns.push(copied);
  }
  return {
    ...(system === undefined ? {} : { system: system as string }),
    turns: turns as TranscriptTurn[],
  };
}

function checkTurn(turn: unknown, index: number, source: string): void {
  const check = (value: unknown, type: FieldType, where: string, optional = false) => {
    if (optional && value === undefined) return;
    if (!is[type](value)) {
      throw new InvalidTranscriptError(
        `turn ${index}${where} is not ${type}: got ${describeValue(value)}.`,
        index,
        source,
      );
    }
  };
  check(turn, "an object", "");
  const { role, text, calls, results, state } = turn as Record<string, unknown>;
  if (role !== "user" && role !== "assistant") {
    throw new InvalidTranscriptError(
      `turn ${index} has role ${describeValue(role)}; expected "user" or "assistant".`,
      index,
      source,
    );
  }
  check(text, "a string", ".text");
  if (role === "user") return;
  check(calls, "an array", ".calls");
  (calls as unknown[]).forEach((call, position) => {
    const where = `.calls[${position}]`;
    check(call, "an object", where);
    const fields = call as Record<string, unknown>;
    check(fields.id, "a string", `${where}.id`);
    check(fields.name, "a string", `${where}.name`);
    check(fields.idSynthesized, "a boolean", `${where}.idSynthesized`, true);
    if (fields.state !== undefined) checkState(fields.state, `${where}.state`, check);
  });
  check(results, "an array", ".results", true);
  ((results ?? []) as unknown[]).forEach((result, position) => {
    const where = `.results[${position}]`;
    check(result, "an object", where);
    const fields = result as Record<string, unknown>;
    check(fields.callId, "a string", `${where}.callId`);
    check(fields.name, "a string", `${where}.name`);
    check(fields.isError, "a boolean", `${where}.isError`);
  });
  check(state, "an array", ".state", true);
  ((state ?? []) as unknown[]).forEach((item, position) => {
    checkState(item, `.state[${position}]`, check);
  });
}

function checkState(
  state: unknown,
  where: string,
  check: (value: unknown, type: FieldType, where: string) => void,
): void {
  check(state, "an object", where);
  const { vendor, kind } = state as Record<string, unknown>;
  check(vendor, "a string", `${where}.vendor`);
  check(kind, "a string", `${where}.kind`);
}
