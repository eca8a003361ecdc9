import { createHash } from "node:crypto";

// Longest encoded id kept whole in a file name; longer ones keep this much and add a hash. File
// names are limited to 255 bytes on most file systems; the suffixes (`.<token>.tmp`) need room.
const MAX_ENCODED = 120;

/**
 * The base of the file names of one batch in a file store's directory: `batch-` and the batch id
 * encoded byte by byte (UTF-8), lowercase letters, digits and `-` as they are and every other byte
 * as `_` and two lowercase hex digits. So the name holds no separator, no `.` (no `..`, and the
 * suffixes `.json`, `.lock` cannot be confused), no capital (two ids that differ only in case do
 * not meet on a case-insensitive file system), no name Windows reserves (`con`, `nul`: the prefix),
 * and two ids never share a name, since `_` is always escaped. A UUID stays readable:
 * `batch-0b7f6c1e-3a52-4c8e-9d41-2f6a8b3c5d7e`. An id whose encoding is longer than 120
 * characters keeps its first 56 and adds `~` and the SHA-256 of the id (`~` is never part of an
 * encoding); the file also holds the id itself, which `load` checks.
 */
export function batchFileBase(batchId: string): string {
  let encoded = "";
  for (const byte of new TextEncoder().encode(batchId)) {
    encoded +=
      (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d
        ? String.fromCharCode(byte)
        : `_${byte.toString(16).padStart(2, "0")}`;
  }
  if (encoded.length > MAX_ENCODED) {
    encoded = `${encoded.slice(0, 56)}~${createHash("sha256").update(batchId, "utf8").digest("hex")}`;
  }
  return `batch-${encoded}`;
}
