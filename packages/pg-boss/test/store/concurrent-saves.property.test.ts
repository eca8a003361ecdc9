import { sampleBatchCheckpoint } from "@toolbatch/contract";
import { BatchConflictError, type BatchStore } from "@toolbatch/core";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresBatchStore } from "../../src/index.js";
import { createTestDatabase } from "../support/test-database.js";

// Savers as separate processes would be: each its own connection and store. A saver loads the
// batch, then saves expecting the version it loaded. fast-check picks the interleaving: in which
// round each saver loads and in which later round it saves; what shares a round runs at once on
// the server. Whatever the interleaving, of the saves expecting the version the server holds at
// the start of a round exactly one wins, every other save is a BatchConflictError, and what loads
// at the end is the last winner's checkpoint at version 1 + the number of wins.
const SAVERS = 5;
const { connectionString } = await createTestDatabase("concurrent_saves");
const clients = Array.from({ length: SAVERS }, () => new pg.Client({ connectionString }));
let stores: BatchStore[] = [];
beforeAll(async () => {
  await Promise.all(clients.map((client) => client.connect()));
  stores = clients.map((client) => createPostgresBatchStore(client, { table: "races" }));
  // The table exists before the first race, so no round also races to create it.
  await stores[0]?.load("warm-up");
});
afterAll(() => Promise.all(clients.map((client) => client.end())));

interface Saver {
  readonly store: number;
  readonly loadRound: number;
  readonly saveDelay: number;
}

const saverArbitrary = fc.record({
  store: fc.integer({ min: 0, max: SAVERS - 1 }),
  loadRound: fc.integer({ min: 0, max: 3 }),
  saveDelay: fc.integer({ min: 0, max: 2 }),
});

let runs = 0;
describe("concurrent saves to one PostgreSQL batch", () => {
  it("in any interleaving, one save per version wins and the others conflict", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(saverArbitrary, {
          minLength: 2,
          maxLength: SAVERS,
          selector: (s) => s.store,
        }),
        async (savers: Saver[]) => {
          const id = `race-${++runs}`;
          const first = stores[0] as BatchStore;
          await first.save(id, sampleBatchCheckpoint(id, { tag: "start" }), 0);
          let held = 1; // the version the server holds, as the model knows it between rounds
          let lastWinner = "start";
          const loaded = new Map<number, number>();
          const lastRound = Math.max(...savers.map((s) => s.loadRound + 1 + s.saveDelay));
          for (let round = 0; round <= lastRound; round += 1) {
            const saving = savers.filter((s) => s.loadRound + 1 + s.saveDelay === round);
            const loading = savers.filter((s) => s.loadRound === round);
            const [saves] = await Promise.all([
              Promise.allSettled(
                saving.map((s) =>
                  (stores[s.store] as BatchStore).save(
                    id,
                    sampleBatchCheckpoint(id, { tag: `saver ${s.store}` }),
                    loaded.get(s.store) as number,
                  ),
                ),
              ),
              Promise.all(
                loading.map(async (s) => {
                  const stored = await (stores[s.store] as BatchStore).load(id);
                  loaded.set(s.store, stored?.version as number);
                }),
              ),
            ]);
            const current = saving.filter((s) => loaded.get(s.store) === held);
            const won = saving.filter((_, index) => saves[index]?.status === "fulfilled");
            // Exactly one of the saves expecting the held version wins; a stale one never does.
            expect(won.length).toBe(current.length > 0 ? 1 : 0);
            for (const [index, outcome] of saves.entries()) {
              if (outcome.status === "fulfilled") {
                expect(outcome.value).toBe(held + 1);
                expect(loaded.get(saving[index]?.store as number)).toBe(held);
              } else {
                expect(BatchConflictError.isInstance(outcome.reason), String(outcome.reason)).toBe(
                  true,
                );
              }
            }
            if (won[0]) {
              held += 1;
              lastWinner = `saver ${won[0].store}`;
            }
          }
          expect(await first.load(id)).toStrictEqual({
            checkpoint: sampleBatchCheckpoint(id, { tag: lastWinner }),
            version: held,
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
