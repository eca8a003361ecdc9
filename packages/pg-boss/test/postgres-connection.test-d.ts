import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { describe, expectTypeOf, it } from "vitest";
import type { PostgresConnection } from "../src/index.js";

// The connection type takes what applications have, without a cast.
describe("PostgresConnection", () => {
  it("takes pg-boss's boss.getDb()", () => {
    expectTypeOf<ReturnType<PgBoss["getDb"]>>().toExtend<PostgresConnection>();
  });
  it("takes a pg Pool, Client and PoolClient", () => {
    expectTypeOf<pg.Pool>().toExtend<PostgresConnection>();
    expectTypeOf<pg.Client>().toExtend<PostgresConnection>();
    expectTypeOf<pg.PoolClient>().toExtend<PostgresConnection>();
  });
  it("refuses what has neither method", () => {
    expectTypeOf<{ run(text: string): Promise<unknown> }>().not.toExtend<PostgresConnection>();
  });
});
