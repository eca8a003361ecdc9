import {
  type ReplyFunction,
  scriptedToolModel,
  startVendorServer,
  type VendorName,
  type VendorServer,
} from "@toolbatch/contract/server";
import { CITIES } from "../demo/lookup-tools.js";

/** The question every example asks. */
export const PROMPT = `Look up ${CITIES.join(", ")} with lookup_city (all four at once), then compare them in one sentence.`;

/**
 * A loopback server playing a scripted model (four lookups in one turn, then an answer from the
 * results), so every example runs offline. Examples use it only when no API key is set.
 */
export function offlineModel(vendor: VendorName, replies?: ReplyFunction): Promise<VendorServer> {
  return startVendorServer({
    vendor,
    replies:
      replies ??
      scriptedToolModel({
        calls: CITIES.map((city) => ({ name: "lookup_city", arguments: { city } })),
        answer: (results) =>
          `(offline model) I looked up ${results.length} cities: ${results.join(" ")}`,
      }),
  });
}
