import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { AccessAudit, AuditOptions } from "./access-record.js";
import { buildAccessRecord } from "./build-access-record.js";

/**
 * Makes the `audit` option of `executeBatch`, `startBatchExecution`, `runBatch`, `resumeBatch`
 * and `runToolLoop`: every `batch-end` event then carries an `AccessRecord` as `access` (which
 * calls ran, on which data categories, which combinations marked `sensitive` the batch returned
 * to the model together), and every loop step as `step.access`. Arguments and results stay out of
 * the record unless `redact` keeps something of them.
 *
 * @throws {InvalidOptionError} when `sensitive` is not a list of non-empty lists of non-empty
 *   strings, or `redact` is not a function.
 *
 * @example
 * const audit = createAccessAudit({ sensitive: [["pii:address", "orders"]] });
 * await executeBatch(batch, tools, {
 *   audit,
 *   onEvent: (event) => event.type === "batch-end" && log.write(JSON.stringify(event.access)),
 * });
 */
export function createAccessAudit(options: AuditOptions = {}): AccessAudit {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("audit", options, "an object ({ sensitive?, redact? })");
  }
  const { sensitive, redact } = options;
  if (redact !== undefined && typeof redact !== "function") {
    throw new InvalidOptionError("audit.redact", redact, "a function");
  }
  const combination = (value: unknown) =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((category) => typeof category === "string" && category !== "");
  if (sensitive !== undefined && !(Array.isArray(sensitive) && sensitive.every(combination))) {
    throw new InvalidOptionError(
      "audit.sensitive",
      sensitive,
      "a list of combinations, each a non-empty list of categories (strings)",
    );
  }
  // A copy: the application editing its lists later does not change what is audited.
  const kept: AuditOptions = {
    sensitive: sensitive?.map((categories) => [...categories]),
    redact,
  };
  return { options: kept, record: (ended) => buildAccessRecord(ended, kept) };
}
