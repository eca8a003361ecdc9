export const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ID_LENGTH = 9;
// 248 = 4 * 62: bytes at or above it are dropped so every character is equally likely.
const UNBIASED_LIMIT = 248;

/**
 * The id shape every vendor accepts: exactly 9 ASCII letters or digits. It is Mistral's rule (the
 * strictest), fits OpenAI's 40-character limit and Anthropic's `^[a-zA-Z0-9_-]+$`.
 */
export const PORTABLE_CALL_ID = /^[A-Za-z0-9]{9}$/;

/** Makes portable call ids that are unique among the ids it has made or been told about. */
export interface CallIdGenerator {
  /** A new `[A-Za-z0-9]{9}` id, different from every id issued or reserved so far. */
  next(): string;
  /** Marks an id already used in the conversation (a vendor's own id), so `next` never returns it. */
  reserve(id: string): void;
}

/** Options of {@link createCallIdGenerator}. */
export interface CallIdGeneratorOptions {
  /** Source of random bytes; defaults to `crypto.getRandomValues`. Inject one for reproducible ids. */
  randomBytes?: (size: number) => Uint8Array;
}

/**
 * Creates an id generator for one conversation. Keep one per conversation and pass it to the
 * adapters, so synthesized ids stay unique across turns; it remembers every id it has seen.
 */
export function createCallIdGenerator(options: CallIdGeneratorOptions = {}): CallIdGenerator {
  const randomBytes =
    options.randomBytes ??
    ((size: number) => globalThis.crypto.getRandomValues(new Uint8Array(size)));
  const used = new Set<string>();
  return {
    next() {
      for (;;) {
        const id = randomId(randomBytes);
        if (!used.has(id)) {
          used.add(id);
          return id;
        }
      }
    },
    reserve(id) {
      used.add(id);
    },
  };
}

function randomId(randomBytes: (size: number) => Uint8Array): string {
  let id = "";
  while (id.length < ID_LENGTH) {
    for (const byte of randomBytes(ID_LENGTH * 2)) {
      if (byte < UNBIASED_LIMIT) id += ALPHABET[byte % ALPHABET.length];
      if (id.length === ID_LENGTH) break;
    }
  }
  return id;
}
