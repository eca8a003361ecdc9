/**
 * A conversation in no vendor's format: what crosses from one vendor's history to another's.
 * A transcript codec (`openaiChatTranscript()`, `anthropicTranscript()`, ...) reads a vendor's
 * request history into one and renders one back as that vendor's history, so a conversation
 * started on one vendor continues on another with the same tools.
 *
 * Plain data: JSON-serializable as long as call inputs and outputs are, safe to store.
 */
export interface Transcript {
  /**
   * System instructions: those found in the history (OpenAI `system` / `developer` messages), and
   * those given to `convertHistory` for a vendor that keeps them outside it. Vendors that take
   * them outside the history (Anthropic `system`, Gemini `systemInstruction`) get them back as
   * `RenderedHistory.system`.
   */
  readonly system?: string;
  /** The turns, oldest first. */
  readonly turns: readonly TranscriptTurn[];
}

/** One turn of a transcript. */
export type TranscriptTurn = TranscriptUserTurn | TranscriptAssistantTurn;

/** What the user said. */
export interface TranscriptUserTurn {
  readonly role: "user";
  /** The user's text. Images, audio and files do not cross vendors (dropped with a warning). */
  readonly text: string;
}

/** One assistant turn: its text, the batch of calls it made, and the results they got. */
export interface TranscriptAssistantTurn {
  readonly role: "assistant";
  /** The assistant's visible text, `""` when it only called tools. */
  readonly text: string;
  /** The calls of the turn, in the order the model wrote them. */
  readonly calls: readonly TranscriptCall[];
  /**
   * One result per call, in call order (`results[i].callId === calls[i].id`); `[]` for a turn
   * without calls. Absent only on the last turn, when its calls have not been answered yet.
   */
  readonly results?: readonly TranscriptResult[];
  /**
   * What only the vendor that wrote the turn can read back: Anthropic `thinking` blocks, OpenAI
   * Responses `reasoning` items (`encrypted_content`), Gemini thought parts. Rendered for the
   * same vendor, dropped with a warning for any other.
   */
  readonly state?: readonly VendorState[];
}

/** One tool call of an assistant turn. */
export interface TranscriptCall {
  /**
   * The call's id as the source vendor wrote it. Renderers re-map ids the target vendor would
   * reject (`RenderedHistory.idMap` says which), consistently for the call and its result.
   */
  readonly id: string;
  /** True when the source sent no id (Gemini) and the reader made this one up. */
  readonly idSynthesized?: boolean;
  /** The tool's name. */
  readonly name: string;
  /** The arguments, parsed (`{}` when the source's could not be parsed, with a warning). */
  readonly input: unknown;
  /** Vendor-only state of the call itself (a Gemini `thoughtSignature` on its part). */
  readonly state?: VendorState;
}

/** The answer one call got. */
export interface TranscriptResult {
  /** The `id` of the call this answers. */
  readonly callId: string;
  /** The name of the call this answers. */
  readonly name: string;
  /**
   * True for a failure: Anthropic `is_error`, Gemini `response.error`, or toolbatch's
   * `Error (<code>): ...` text on vendors without a flag.
   */
  readonly isError: boolean;
  /** What the model read: text, or a JSON value where the vendor keeps one (Gemini `response.output`). */
  readonly output: unknown;
}

/**
 * Opaque state only one vendor understands. It crosses to that vendor unchanged and to no other.
 */
export interface VendorState {
  /** Whose state it is: the `vendor` of the codec that read it (`anthropic`, `openai-responses`, `gemini`). */
  readonly vendor: string;
  /** What it is, for warnings: `thinking`, `reasoning`, `thought-signature`, ... */
  readonly kind: string;
  /** The vendor's own data, as the codec that read it needs it back. */
  readonly value: unknown;
}

/** Something a codec could not carry over exactly, said so it never happens silently. */
export interface TranscriptWarning {
  /**
   * A stable code: `state-dropped`, `content-dropped`, `id-remapped`, `result-missing`,
   * `result-orphaned`, `arguments-unparseable`, `arguments-double-encoded`, `input-wrapped`,
   * `signature-placeholder`, `system-moved`, and from `convertHistory`: `system-in-history` (the
   * system text given went into the target's history), `system-dropped` (the target has none).
   */
  readonly code: string;
  /** What happened and what it means for the next request. */
  readonly message: string;
  /**
   * The position in `Transcript.turns` the warning is about, when it is about one; for a warning
   * said once for many turns (`state-dropped` of one vendor and kind), the first of them.
   */
  readonly turn?: number;
}

/** What a codec read from a history. */
export interface TranscriptReading {
  readonly transcript: Transcript;
  readonly warnings: readonly TranscriptWarning[];
}

/** A transcript rendered as one vendor's history. */
export interface RenderedHistory<Message> {
  /** The history, ready for the request's `messages` / `input` / `contents`. */
  readonly messages: Message[];
  /**
   * The system instructions, for vendors that take them outside the history (Anthropic
   * `system`, Gemini `systemInstruction`); undefined where `messages` carry them or there are none.
   */
  readonly system?: string;
  /**
   * Every id that had to change, rendered id → the transcript's id. Keep it with the history to
   * map the vendor's answers back; rendered ids are unique, so the map is one-to-one.
   */
  readonly idMap: ReadonlyMap<string, string>;
  /** What did not cross: foreign vendor state, non-text content, re-mapped ids. */
  readonly warnings: readonly TranscriptWarning[];
}

/**
 * Reads one vendor's request history into a {@link Transcript} and renders one back. Both are
 * pure: the same input gives the same output, and inputs are never modified.
 *
 * @typeParam Message one entry of the vendor's request history
 */
export interface TranscriptCodec<Message> {
  /** Whose vendor state this codec keeps (`openai-chat`, `openai-responses`, `anthropic`, `gemini`). */
  readonly vendor: string;
  /**
   * Where the vendor keeps system instructions:
   * - `request`: in a request field outside the history (Anthropic `system`, Gemini
   *   `systemInstruction`): `read` cannot see them (give them to `convertHistory` as `system`),
   *   and `render` returns them as `RenderedHistory.system`;
   * - `history`: in the history (OpenAI `system` / `developer` messages), both ways;
   * - `none`: nowhere (a model that refuses system instructions): `render` leaves them out.
   * Left out, `history`.
   */
  readonly systemPlacement?: "request" | "history" | "none";
  /** Reads a request history (`messages`, `input`, `contents`). */
  read(history: readonly Message[]): TranscriptReading;
  /** Renders a transcript as this vendor's request history. */
  render(transcript: Transcript): RenderedHistory<Message>;
}
