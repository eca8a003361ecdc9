import fc from "fast-check";

/**
 * A malformed history, as a plain recipe (what fast-check prints when a property fails) and the
 * history it describes, built anew on each call: hostile values (proxies, cycles) cannot be
 * shared between runs, and a proxy whose traps throw could not be printed.
 */
export interface HostileHistory {
  /** What the history is made of; `{ "#hostile": kind, ... }` marks a value built specially. */
  readonly recipe: unknown;
  /** A new copy of the history the recipe describes. */
  history(): unknown;
}

// Strings that break lookups done with `obj[key]` on a plain object.
const PROTOTYPE_WORDS = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "isPrototypeOf",
  "__defineGetter__",
];
const ROLES = ["user", "assistant", "system", "developer", "tool", "function", "model"];
const TYPES = [
  "text",
  "tool_use",
  "tool_result",
  "thinking",
  "redacted_thinking",
  "server_tool_use",
  "image",
  "message",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "reasoning",
  "item_reference",
  "input_text",
  "output_text",
  "refusal",
  "function",
  "custom",
];
// The fields the codecs read, so generated objects reach past their first check.
const KEYS = [
  "role",
  "content",
  "parts",
  "type",
  "text",
  "tool_calls",
  "id",
  "call_id",
  "function",
  "name",
  "arguments",
  "input",
  "output",
  "functionCall",
  "functionResponse",
  "args",
  "response",
  "tool_use_id",
  "is_error",
  "thoughtSignature",
  "thought",
  "refusal",
  "reasoning_content",
  "custom",
  "audio",
  "function_call",
  "tool_call_id",
  "citations",
  "caller",
  "phase",
  "error",
];

/** Words that break lookups, roles, block types and plausible ids and names. */
export const word = fc.constantFrom(
  ...PROTOTYPE_WORDS,
  ...ROLES,
  ...TYPES,
  "",
  "call_1",
  "get_weather",
);
const key = fc.constantFrom(...KEYS, ...PROTOTYPE_WORDS);
const leaf = fc.oneof(
  word,
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const hostile = (kind: string, fields: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc.record({ "#hostile": fc.constant(kind), ...fields });

/**
 * Any value as a recipe: JSON data, or (marked `#hostile`) a null-prototype object, a proxy whose
 * trap throws, a revoked proxy, a throwing getter, a cycle, nesting thousands deep, a sparse
 * array, a 1 MB string, a BigInt, a symbol or a function; {@link buildHostileRecipe} builds it.
 */
export const { value } = fc.letrec<{ value: unknown; special: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4, noNullPrototype: true }),
    tie("special"),
  ),
  special: fc.oneof(
    hostile("null-prototype", {
      value: fc.dictionary(key, tie("value"), { maxKeys: 3, noNullPrototype: true }),
    }),
    hostile("proxy", {
      trap: fc.constantFrom("get", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "has"),
      throws: fc.constantFrom("an Error", "a string", "null"),
      value: fc.oneof(fc.dictionary(key, leaf, { maxKeys: 3 }), fc.array(leaf, { maxLength: 2 })),
    }),
    hostile("revoked-proxy"),
    hostile("throwing-getter", { key }),
    hostile("cycle", { key, value: fc.dictionary(key, leaf, { maxKeys: 2 }) }),
    hostile("deep", { depth: fc.integer({ min: 2_000, max: 6_000 }), key, value: leaf }),
    hostile("sparse", { value: fc.array(tie("value"), { minLength: 1, maxLength: 3 }) }),
    hostile("long-string", { length: fc.constantFrom(10_000, 1_000_000) }),
    hostile("bigint"),
    hostile("symbol"),
    hostile("function"),
  ),
}));

/** Each field: mostly what the vendor would send, sometimes anything at all. */
export const field = (plausible: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary: plausible }, { weight: 1, arbitrary: value });
/** An object recipe whose fields are each {@link field}, any of them left out. */
export const record = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([name, arb]) => [name, field(arb)])), {
    requiredKeys: [],
  });
/** Up to three of `item`. */
export const list = (item: fc.Arbitrary<unknown>) => fc.array(item, { maxLength: 3 });
/** A short text, or a word that breaks lookups. */
export const text = fc.oneof(word, fc.string({ maxLength: 6 }));
const args = fc.constantFrom("{}", '{"a":1}', "not json", '"{\\"a\\":1}"');

const contentPart = record({ type: fc.constantFrom(...TYPES), text, refusal: text });
const content = fc.oneof(text, list(contentPart));
const chatMessage = record({
  role: fc.constantFrom(...ROLES),
  content,
  tool_calls: list(
    record({
      id: word,
      type: fc.constantFrom("function", "custom"),
      function: record({ name: word, arguments: args }),
      custom: record({ name: word, input: text }),
    }),
  ),
  tool_call_id: word,
  name: word,
  refusal: text,
  reasoning_content: text,
  function_call: record({ name: word, arguments: args }),
  audio: record({ id: word }),
});
const responsesItem = record({
  type: fc.constantFrom(...TYPES),
  role: fc.constantFrom(...ROLES),
  content,
  id: word,
  call_id: word,
  name: word,
  arguments: args,
  input: text,
  output: content,
  phase: word,
});
const anthropicBlock = record({
  type: fc.constantFrom(...TYPES),
  text,
  id: word,
  name: word,
  input: value,
  tool_use_id: word,
  content: fc.oneof(text, list(record({ type: fc.constantFrom(...TYPES), text }))),
  is_error: fc.boolean(),
  thinking: text,
  signature: text,
  citations: list(value),
  caller: record({ type: word }),
});
const anthropicMessage = record({
  role: fc.constantFrom(...ROLES),
  content: fc.oneof(text, list(anthropicBlock)),
});
const geminiPart = record({
  text,
  thought: fc.boolean(),
  thoughtSignature: text,
  functionCall: fc.oneof(record({ id: word, name: word, args: value }), text),
  functionResponse: record({ id: word, name: word, response: value }),
});
const geminiContent = record({ role: fc.constantFrom(...ROLES), parts: list(geminiPart) });

const entry = fc.oneof(chatMessage, responsesItem, anthropicMessage, geminiContent, value);

/**
 * Malformed histories, as a history loaded from storage or handed over by a careless caller may
 * be: messages of every vendor's shape with any field replaced by anything (non-string names and
 * ids, a string where an object goes, `__proto__`, `constructor` or `toString` as a role or a
 * type), objects without a prototype, proxies whose traps throw, revoked proxies, throwing
 * getters, cycles, nesting thousands deep, sparse arrays, BigInts, symbols, functions, and
 * histories that are not arrays at all. A codec's `read` must refuse each with
 * `InvalidHistoryError`, or read it.
 */
export function hostileHistoryArbitrary(): fc.Arbitrary<HostileHistory> {
  // Mostly one vendor's messages, so each codec reads past the first entry.
  const messages = (message: fc.Arbitrary<unknown>) =>
    fc.array(message, { minLength: 1, maxLength: 6 });
  const recipe = fc.oneof(
    { weight: 3, arbitrary: messages(chatMessage) },
    { weight: 3, arbitrary: messages(responsesItem) },
    { weight: 3, arbitrary: messages(anthropicMessage) },
    { weight: 3, arbitrary: messages(geminiContent) },
    { weight: 2, arbitrary: messages(entry) },
    { weight: 1, arbitrary: hostile("proxy-history", { value: messages(entry) }) },
    { weight: 1, arbitrary: value },
  );
  return recipe.map((made) => ({
    recipe: made,
    history: () => buildHostileRecipe(made),
    [fc.toStringMethod]: () => fc.stringify(made),
  }));
}

const own = (target: object, name: string, content: unknown) =>
  Object.defineProperty(target, name, {
    value: content,
    enumerable: true,
    writable: true,
    configurable: true,
  });

/** A new value a recipe of this file describes. */
export function buildHostileRecipe(recipe: unknown): unknown {
  if (Array.isArray(recipe)) return recipe.map(buildHostileRecipe);
  if (typeof recipe !== "object" || recipe === null) return recipe;
  const fields = recipe as Record<string, unknown>;
  if (typeof fields["#hostile"] === "string") return buildHostile(fields);
  const built = {};
  for (const [name, inner] of Object.entries(fields)) own(built, name, buildHostileRecipe(inner));
  return built;
}

function thrown(kind: unknown): unknown {
  if (kind === "a string") return "hostile trap";
  if (kind === "null") return null;
  return new Error("hostile trap");
}

function buildHostile(recipe: Record<string, unknown>): unknown {
  const name = String(recipe.key);
  switch (recipe["#hostile"]) {
    case "null-prototype": {
      const built = Object.create(null) as object;
      for (const [key, inner] of Object.entries(recipe.value as object))
        own(built, key, buildHostileRecipe(inner));
      return built;
    }
    case "proxy":
    case "proxy-history": {
      const trap = recipe["#hostile"] === "proxy" ? String(recipe.trap) : "get";
      const handler: ProxyHandler<object> = {
        [trap]: (_target: object, property: unknown) => {
          // Symbols pass, so fast-check and the test runner can still look at the value.
          if (typeof property === "symbol") return undefined;
          throw thrown(recipe.throws);
        },
      };
      return new Proxy(buildHostileRecipe(recipe.value) as object, handler);
    }
    case "revoked-proxy": {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
    case "throwing-getter":
      return Object.defineProperty({ role: "user" }, name, {
        enumerable: true,
        get() {
          throw new Error("hostile getter");
        },
      });
    case "cycle": {
      const built = buildHostileRecipe(recipe.value) as object;
      own(built, name, [built]);
      return built;
    }
    case "deep": {
      let built = buildHostileRecipe(recipe.value);
      for (let level = 0; level < Number(recipe.depth); level++) {
        built = level % 2 === 0 ? [built] : own({}, name, built);
      }
      return built;
    }
    case "sparse": {
      const built = buildHostileRecipe(recipe.value) as unknown[];
      delete built[0];
      return built;
    }
    case "long-string":
      return "x".repeat(Number(recipe.length));
    case "bigint":
      return 10n;
    case "symbol":
      return Symbol("hostile");
    default:
      return () => "hostile";
  }
}
