import {
  type BatchCheckpoint,
  BatchConflictError,
  type BatchStore,
  InvalidCheckpointError,
} from "@toolbatch/core";
import { describe, expect, it } from "vitest";
import { sampleBatchCheckpoint } from "../durable/sample-batch-checkpoint.js";

/** Options of {@link describeBatchStoreContract}. */
export interface BatchStoreContractOptions {
  /** Names the suite: `BatchStore contract: <name>`. */
  name: string;
  /**
   * Makes the store under test, empty, once per test: a new directory, a new key prefix or
   * table, or a flushed database.
   */
  create: () => BatchStore | Promise<BatchStore>;
  /** How many saves race for one version in the concurrency test; default 16. */
  concurrentSaves?: number;
  /** Per-test time limit in milliseconds, for stores over a network; default 20,000. */
  timeoutMs?: number;
}

/**
 * Ids that break a store keying files, paths or keys carelessly: traversal, separators, names a
 * file system reserves or folds together, the empty id, ids too long for a file name and alike
 * but for their end, non-ASCII, control characters, and ids that look like an encoding of others.
 */
export const HOSTILE_BATCH_IDS: readonly string[] = [
  "../x",
  "a/b",
  "..",
  ".",
  "",
  "/",
  "\\",
  "a\\b",
  "C:\\x",
  "con",
  "NUL",
  "a",
  "A",
  "%2e%2e",
  "a_2f",
  "_",
  "batch-a",
  "a.json",
  "a.lock",
  "x\u0000y",
  "\n",
  " ",
  "日本語🙂",
  "e\u0301",
  "é",
  "__proto__",
  "constructor",
  "x".repeat(5000),
  `${"x".repeat(4999)}y`,
  "ю".repeat(300),
];

/**
 * Registers the contract suite of a `BatchStore` with vitest: one call from the store's test
 * file (`describeBatchStoreContract({ name: "redis", create: () => createRedisStore(...) })`).
 * It checks what runBatch and resumeBatch rely on: an unknown batch loads as `undefined`; a first
 * save expects version 0 and resolves 1, each save one more; a save expecting another version
 * than the stored one rejects with `BatchConflictError` (checked with `isInstance`) and writes
 * nothing; what loads equals what was saved, and neither later changes to the saved checkpoint
 * nor changes to a loaded one reach the store; of concurrent saves expecting one version exactly
 * one wins and the others conflict; hostile batch ids round-trip and never meet; a large
 * checkpoint round-trips; what is not a checkpoint is refused with `InvalidCheckpointError`.
 */
export function describeBatchStoreContract(options: BatchStoreContractOptions): void {
  const concurrent = options.concurrentSaves ?? 16;
  const test = (name: string, body: (store: BatchStore) => Promise<void>) =>
    it(name, { timeout: options.timeoutMs ?? 20_000 }, async () => body(await options.create()));
  const conflict = async (saving: Promise<unknown>) => {
    const error = await saving.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(
      BatchConflictError.isInstance(error),
      `expected a BatchConflictError, got ${String(error)}`,
    ).toBe(true);
    return error as BatchConflictError;
  };

  describe(`BatchStore contract: ${options.name}`, () => {
    test("an unknown batch loads as undefined", async (store) => {
      expect(await store.load("never-saved")).toBeUndefined();
    });

    test("a first save expects version 0 and each save makes one more", async (store) => {
      const id = "b-versions";
      expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "1" }), 0)).toBe(1);
      expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "2" }), 1)).toBe(2);
      expect(await store.save(id, sampleBatchCheckpoint(id, { tag: "3" }), 2)).toBe(3);
      expect(await store.load(id)).toStrictEqual({
        checkpoint: sampleBatchCheckpoint(id, { tag: "3" }),
        version: 3,
      });
    });

    test("a save expecting another version is refused with BatchConflictError and writes nothing", async (store) => {
      const id = "b-stale";
      const error = await conflict(store.save(id, sampleBatchCheckpoint(id), 1));
      expect([error.batchId, error.expectedVersion]).toStrictEqual([id, 1]);
      expect(await store.load(id)).toBeUndefined();
      await store.save(id, sampleBatchCheckpoint(id, { tag: "first" }), 0);
      await store.save(id, sampleBatchCheckpoint(id, { tag: "second" }), 1);
      for (const stale of [0, 1, 3, 100]) {
        const refused = await conflict(
          store.save(id, sampleBatchCheckpoint(id, { tag: "late" }), stale),
        );
        expect(refused.expectedVersion).toBe(stale);
      }
      expect(await store.load(id)).toStrictEqual({
        checkpoint: sampleBatchCheckpoint(id, { tag: "second" }),
        version: 2,
      });
    });

    test("what loads is a copy: changes to saved or loaded checkpoints never reach the store", async (store) => {
      const id = "b-copies";
      const saved = sampleBatchCheckpoint(id) as Mutable<BatchCheckpoint>;
      await store.save(id, saved, 0);
      saved.batchId = "changed";
      (saved.batch.turn as { role: string }).role = "changed";
      (saved.ledger as Record<string, unknown>).call_3 = { state: "started", startedAt: 1 };
      const loaded = (await store.load(id))?.checkpoint as Mutable<BatchCheckpoint>;
      expect(loaded).toStrictEqual(sampleBatchCheckpoint(id));
      (loaded.batch.calls[0]?.input as { index: number }).index = 99;
      (loaded.results as Record<string, unknown>).call_2 = undefined;
      expect((await store.load(id))?.checkpoint).toStrictEqual(sampleBatchCheckpoint(id));
    });

    test(`of ${concurrent} saves expecting one version, exactly one wins`, async (store) => {
      const id = "b-race";
      await store.save(id, sampleBatchCheckpoint(id, { tag: "start" }), 0);
      for (const expected of [1, 2]) {
        const outcomes = await Promise.allSettled(
          Array.from({ length: concurrent }, (_, index) =>
            store.save(id, sampleBatchCheckpoint(id, { tag: `${expected}-${index}` }), expected),
          ),
        );
        const won = outcomes.flatMap((outcome, index) =>
          outcome.status === "fulfilled" ? [index] : [],
        );
        expect(won).toHaveLength(1);
        expect(outcomes[won[0] as number]).toStrictEqual({
          status: "fulfilled",
          value: expected + 1,
        });
        for (const outcome of outcomes) {
          if (outcome.status === "rejected")
            expect(BatchConflictError.isInstance(outcome.reason)).toBe(true);
        }
        const stored = await store.load(id);
        expect(stored?.version).toBe(expected + 1);
        expect(stored?.checkpoint).toStrictEqual(
          sampleBatchCheckpoint(id, { tag: `${expected}-${won[0]}` }),
        );
      }
    });

    test("hostile batch ids round-trip and never meet", async (store) => {
      for (const [index, id] of HOSTILE_BATCH_IDS.entries()) {
        expect(await store.save(id, sampleBatchCheckpoint(id, { tag: `id ${index}` }), 0)).toBe(1);
      }
      for (const [index, id] of HOSTILE_BATCH_IDS.entries()) {
        const stored = await store.load(id);
        expect(stored, `batch id #${index}`).toStrictEqual({
          checkpoint: sampleBatchCheckpoint(id, { tag: `id ${index}` }),
          version: 1,
        });
      }
      // The first save of each took version 0 for that id alone.
      await conflict(store.save("a", sampleBatchCheckpoint("a"), 0));
      expect(await store.load("b")).toBeUndefined();
    });

    test("a large checkpoint round-trips", async (store) => {
      const id = "b-large";
      const large = sampleBatchCheckpoint(id, { calls: 400, inputChars: 5_000 });
      await store.save(id, large, 0);
      expect(await store.load(id)).toStrictEqual({ checkpoint: large, version: 1 });
    });

    test("what is not a checkpoint is refused with InvalidCheckpointError and not stored", async (store) => {
      const id = "b-invalid";
      const broken = {
        ...sampleBatchCheckpoint(id),
        results: { nobody: {} },
      } as unknown as BatchCheckpoint;
      const error = await store.save(id, broken, 0).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(InvalidCheckpointError.isInstance(error), String(error)).toBe(true);
      expect(await store.load(id)).toBeUndefined();
    });
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
