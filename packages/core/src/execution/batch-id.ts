/**
 * A new batch id: a random UUID (version 4), unique across processes and machines, so that with a
 * call's id it makes an idempotency key for the systems a tool writes to. Built from
 * `crypto.getRandomValues`, which every runtime has (`crypto.randomUUID` needs a secure context
 * in browsers).
 */
export function createBatchId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
