import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageDirectory } from "../package-directory.js";

/** Where a recording came from; kept with the data because the licences require it. */
export interface RecordingSource {
  /** GitHub `owner/name`. */
  readonly repo: string;
  /** The file in that repository. */
  readonly path: string;
  /** The commit the bytes were read at. */
  readonly commit: string;
  /** The repository's licence (SPDX id). */
  readonly license: string;
}

/** A call the recorded turn holds, written down independently of any adapter. */
export interface ExpectedCall {
  /** The vendor's id, or `null` where the vendor sent none (the adapter must synthesize one). */
  readonly id: string | null;
  /** The tool name. */
  readonly name: string;
  /** The parsed arguments. */
  readonly input: unknown;
}

/** One recorded exchange with a vendor that answered with parallel tool calls. */
export interface Recording {
  /** Short key, e.g. `oc1`. */
  readonly key: string;
  /** The wire protocol: `openai-chat`, `openai-responses`, `anthropic`, `gemini`. */
  readonly vendor: string;
  /** `json` for a whole response, `stream` for a streamed one. */
  readonly kind: "json" | "stream";
  /** What the recording shows. */
  readonly note: string;
  /** A quirk of the recording the tests must know about. */
  readonly quirk?: string;
  /** Attribution. */
  readonly source: RecordingSource;
  /** The request that produced the calls, where recorded. */
  readonly request?: unknown;
  /** The response body, parsed (kind `json`). */
  readonly response?: unknown;
  /** The streamed body as text (kind `stream`). */
  readonly stream?: { readonly format: "sse" | "jsonl"; readonly text: string };
  /** The next request, which carried the tool results and which the vendor accepted (HTTP 200). */
  readonly followUpRequest?: unknown;
  /** What the turn holds. */
  readonly expected: { readonly complete: boolean; readonly calls: readonly ExpectedCall[] };
}

interface IndexEntry
  extends Omit<Recording, "request" | "response" | "stream" | "followUpRequest"> {
  readonly interactions: ReadonlyArray<{
    readonly interaction: number;
    readonly request?: string;
    readonly response: string;
  }>;
}

let index: readonly IndexEntry[] | undefined;

/**
 * The recordings shipped with the kit for one wire protocol (`openai-chat`, ...), or all of them.
 * Bodies are read once per call; attribution is in each recording's `source` and in NOTICE.
 */
export function loadRecordings(vendor?: string): Recording[] {
  const directory = packageDirectory("recordings");
  index ??= JSON.parse(readFileSync(join(directory, "index.json"), "utf8")) as IndexEntry[];
  return index
    .filter((entry) => vendor === undefined || entry.vendor === vendor)
    .map((entry) => {
      const read = (file: string) => readFileSync(join(directory, file), "utf8");
      const [first, second] = entry.interactions;
      const { interactions: _interactions, ...meta } = entry;
      if (!first)
        throw new Error(`[toolbatch/contract] Recording ${entry.key} has no interaction.`);
      const body = read(first.response);
      const streamFormat = first.response.endsWith(".jsonl") ? "jsonl" : "sse";
      return {
        ...meta,
        ...(first.request ? { request: JSON.parse(read(first.request)) } : {}),
        ...(entry.kind === "json"
          ? { response: JSON.parse(body) }
          : { stream: { format: streamFormat, text: body } }),
        ...(second?.request ? { followUpRequest: JSON.parse(read(second.request)) } : {}),
      } as Recording;
    });
}
