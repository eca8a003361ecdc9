import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";

type Fields = Record<string, unknown>;

/**
 * A completion as Chat Completions streams it, choice by choice: the message's fields (text,
 * refusal, and whatever a compatible server adds, such as `reasoning_content` or
 * `reasoning_details`) in two deltas, each string cut in two and each indexed array entry in two
 * pieces that share its `index` and `type`, as OpenRouter streams them; then each call (its id
 * and name, then its arguments); then the finish reason.
 */
export function streamOpenAIChat(completion: ChatCompletion): ChatCompletionChunk[] {
  const chunk = (index: number, delta: Fields, finish: string | null = null) =>
    ({
      id: completion.id,
      object: "chat.completion.chunk",
      created: completion.created,
      model: completion.model,
      choices: [{ index, delta, finish_reason: finish, logprobs: null }],
    }) as ChatCompletionChunk;
  return completion.choices.flatMap((choice) => {
    const { role: _role, tool_calls: calls, ...fields } = choice.message as unknown as Fields;
    const [head, tail] = splitInTwo(fields) as [Fields, Fields | undefined];
    const events = [chunk(choice.index, { role: "assistant", ...head })];
    if (tail) events.push(chunk(choice.index, tail));
    ((calls ?? []) as Fields[]).forEach((call, index) => {
      const fn = call.function as Fields | undefined;
      if (call.type === "custom" || !fn || typeof fn.arguments !== "string") {
        events.push(chunk(choice.index, { tool_calls: [{ index, ...call }] }));
        return;
      }
      events.push(
        chunk(choice.index, {
          tool_calls: [{ index, id: call.id, type: call.type, function: { ...fn, arguments: "" } }],
        }),
        chunk(choice.index, { tool_calls: [{ index, function: { arguments: fn.arguments } }] }),
      );
    });
    events.push(chunk(choice.index, {}, choice.finish_reason));
    return events;
  });
}

/**
 * A value as two delta pieces that accumulate back to it by the Chat stream rule (strings
 * concatenated, indexed array entries merged by `index`, objects field by field): the second is
 * `undefined` when nothing is left for it.
 */
function splitInTwo(value: unknown): [unknown, unknown] {
  if (typeof value === "string") {
    const half = Math.ceil(value.length / 2);
    return half < value.length ? [value.slice(0, half), value.slice(half)] : [value, undefined];
  }
  if (Array.isArray(value)) {
    if (!value.every((entry) => isFields(entry) && Number.isInteger(entry.index))) {
      return [value, undefined];
    }
    const pieces = value.map(splitInTwo);
    const tails = pieces.flatMap(([, tail]) => (tail === undefined ? [] : [tail]));
    return [pieces.map(([head]) => head), tails.length > 0 ? tails : undefined];
  }
  if (!isFields(value)) return [value, undefined];
  const head: Fields = {};
  const tail: Fields = {};
  for (const [key, field] of Object.entries(value)) {
    const [first, second] = splitInTwo(field);
    define(head, key, first);
    if (second !== undefined) define(tail, key, second);
  }
  if (Object.keys(tail).length === 0) return [head, undefined];
  // Every piece of an entry says which entry and which kind it continues.
  for (const key of ["index", "type"]) if (Object.hasOwn(value, key)) define(tail, key, value[key]);
  return [head, tail];
}

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function define(target: Fields, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
