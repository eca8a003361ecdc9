import { ALPHABET, PORTABLE_CALL_ID } from "./call-id.js";

/** Which call ids a vendor accepts in a request history. */
export interface CallIdPolicy {
  /** The vendor the rule is of, for warnings. */
  readonly vendor: string;
  /** True when the vendor accepts this id. */
  accepts(id: string): boolean;
}

/** OpenAI Chat and Responses: at most 40 characters ("string too long" beyond). */
export const OPENAI_CALL_IDS: CallIdPolicy = {
  vendor: "OpenAI",
  accepts: (id) => id.length > 0 && id.length <= 40,
};

/** Anthropic: `tool_use.id` must match `^[a-zA-Z0-9_-]+$`. */
export const ANTHROPIC_CALL_IDS: CallIdPolicy = {
  vendor: "Anthropic",
  accepts: (id) => /^[a-zA-Z0-9_-]+$/.test(id),
};

/** Mistral: exactly 9 letters or digits ("must be a-z, A-Z, 0-9, with a length of 9"). */
export const MISTRAL_CALL_IDS: CallIdPolicy = {
  vendor: "Mistral",
  accepts: (id) => PORTABLE_CALL_ID.test(id),
};

/** Gemini: ids are optional and free-form. */
export const GEMINI_CALL_IDS: CallIdPolicy = {
  vendor: "Gemini",
  accepts: (id) => id.length > 0,
};

/**
 * A portable id (`[A-Za-z0-9]{9}`, valid on every vendor) derived from `seed`: the same seed and
 * attempt always give the same id, so conversions stay deterministic. Callers that need
 * uniqueness try attempts 0, 1, 2, ... until the id is free.
 */
export function derivePortableCallId(seed: string, attempt = 0): string {
  const text = `${seed}\u0000${attempt}`;
  let high = hash32(text, 0x811c9dc5);
  let low = hash32(text, 0x01000193 ^ 0x5bd1e995);
  let id = "";
  // 62^5 < 2^32 and 62^4 < 2^32: five characters from one hash, four from the other.
  for (let i = 0; i < 5; i++) {
    id += ALPHABET[high % 62];
    high = Math.floor(high / 62);
  }
  for (let i = 0; i < 4; i++) {
    id += ALPHABET[low % 62];
    low = Math.floor(low / 62);
  }
  return id;
}

/** The first id `derivePortableCallId(seed, attempt)` gives, for attempts 0, 1, 2, ..., that `isFree` accepts. */
export function freePortableCallId(seed: string, isFree: (id: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const id = derivePortableCallId(seed, attempt);
    if (isFree(id)) return id;
  }
}

/** FNV-1a over UTF-16 code units, 32 bits, unsigned. */
function hash32(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche, so seeds that differ in one character spread over every output digit.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}
