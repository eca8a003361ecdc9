import { canonicalJson } from "./canonical-json.js";

/** Marks what the digest is of, so it can never be mistaken for a digest of something else. */
const DIGEST_DOMAIN = "toolbatch/approval-digest/v1";

/**
 * The digest an approval is bound by: SHA-256 (WebCrypto's `crypto.subtle`, in Node >= 20 and
 * every browser) of the canonical JSON (see {@link canonicalJson}) of
 * `["toolbatch/approval-digest/v1", toolName, callId, input]`, as 64 lowercase hex digits. The
 * same tool, call id and input give the same digest in any process; a change to any of them
 * (one character of an argument) gives another.
 *
 * @throws {InvalidOptionError} (as a rejection) when the input is not JSON data.
 */
export async function approvalDigest(
  toolName: string,
  callId: string,
  input: unknown,
): Promise<string> {
  // The canonical JSON of the array [domain, toolName, callId, input], written so that a fault in
  // the input is named from the input, not from its place in the array.
  const head = [DIGEST_DOMAIN, toolName, callId].map((text) => JSON.stringify(text)).join(",");
  const text = `[${head},${canonicalJson(input)}]`;
  const hash = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toHex(new Uint8Array(hash));
}

/** Bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
