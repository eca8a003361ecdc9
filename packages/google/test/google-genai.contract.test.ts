import type { Content, GenerateContentResponse } from "@google/genai";
import { describeAdapterContract, geminiWire } from "@toolbatch/contract";
import type { ProviderAdapter } from "@toolbatch/core";
import { googleGenAI } from "../src/index.js";

// The kit replays REST bodies (`contents` and `tools` at the top level), while the adapter's
// request type is the SDK's GenerateContentParameters (tools under `config`). The kit reads
// requests only through the wire, so the adapter is checked against the REST request type.
type RestRequest = Parameters<typeof geminiWire.history>[0];
type RestAdapter = ProviderAdapter<
  GenerateContentResponse,
  GenerateContentResponse,
  RestRequest,
  Content
>;

describeAdapterContract({
  adapter: () => googleGenAI() as unknown as RestAdapter,
  wire: geminiWire,
});
