import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { batchFileBase } from "../src/durable/file-batch-names.js";
import { createFileBatchStore } from "../src/file-store.js";
import { InvalidCheckpointError, InvalidOptionError } from "../src/index.js";
import { checkpointOf } from "./processes/checkpoint-of.js";

// What is particular to the file store; what every store owes is @toolbatch/contract's
// describeBatchStoreContract, which runs it (packages/contract/test/batch-stores.test.ts), and
// file-batch-store-process.test.ts races real processes and kills them.

const root = mkdtempSync(join(tmpdir(), "toolbatch-file-store-unit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let directories = 0;
const fresh = () => join(root, `d${++directories}`);

async function refusal(promise: Promise<unknown>): Promise<InvalidCheckpointError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(InvalidCheckpointError.isInstance(error), String(error)).toBe(true);
  return error as InvalidCheckpointError;
}

describe("batch file names", () => {
  const hostile = [
    "../x",
    "a/b",
    "..",
    ".",
    "",
    "a\\b",
    "C:",
    "con",
    "A",
    "a",
    "a_41",
    "x\u0000y",
    "日本語🙂",
    "x".repeat(5000),
    `${"x".repeat(4999)}y`,
  ];

  it("hold no separator, no dot, no capital, fit a file name, and never meet", () => {
    const names = hostile.map(batchFileBase);
    for (const name of names) {
      expect(name).toMatch(/^batch-[a-z0-9_~-]*$/);
      expect(Buffer.byteLength(`${name}.00000000-0000-0000-0000-000000000000.broken`)).toBeLessThan(
        255,
      );
    }
    expect(new Set(names).size).toBe(names.length);
    expect(batchFileBase("0b7f6c1e-3a52-4c8e-9d41-2f6a8b3c5d7e")).toBe(
      "batch-0b7f6c1e-3a52-4c8e-9d41-2f6a8b3c5d7e",
    );
    expect([batchFileBase("../x"), batchFileBase("A"), batchFileBase("")]).toStrictEqual([
      "batch-_2e_2e_2fx",
      "batch-_41",
      "batch-",
    ]);
  });

  it("keep every file of every batch directly in the store's directory", async () => {
    const directory = fresh();
    const store = createFileBatchStore(directory);
    for (const id of hostile) await store.save(id, checkpointOf(id, id), 0);
    const files = readdirSync(directory, { recursive: true, encoding: "utf8" });
    expect(files.sort()).toStrictEqual(hostile.map((id) => `${batchFileBase(id)}.json`).sort());
    expect(readdirSync(root).filter((name) => !/^d\d+$/.test(name))).toStrictEqual([]);
  });
});

describe("createFileBatchStore", () => {
  it("writes one JSON file per batch with its id and version, and nothing else stays", async () => {
    const directory = fresh();
    const store = createFileBatchStore(directory);
    await store.save("b", checkpointOf("b", "one"), 0);
    await store.save("b", checkpointOf("b", "two"), 1);
    expect(readdirSync(directory)).toStrictEqual(["batch-b.json"]);
    expect(JSON.parse(readFileSync(join(directory, "batch-b.json"), "utf8"))).toStrictEqual({
      batchId: "b",
      version: 2,
      checkpoint: checkpointOf("b", "two"),
    });
  });

  it("loads a damaged or foreign file as InvalidCheckpointError, never a SyntaxError", async () => {
    const directory = fresh();
    const store = createFileBatchStore(directory);
    await store.save("b", checkpointOf("b", "x"), 0);
    const file = join(directory, "batch-b.json");
    const good = readFileSync(file, "utf8");
    const damaged: [string, RegExp][] = [
      [good.slice(0, good.length / 2), /is not JSON/],
      ["", /is not JSON/],
      ["[]", /is not an object/],
      [good.replace('"batchId":"b"', '"batchId":"c"'), /holds batch "c", not "b"/],
      [good.replace('"version":1', '"version":"1"'), /holds no version/],
      [good.replace('"schemaVersion":1', '"schemaVersion":"one"'), /checkpoint\.schemaVersion/],
    ];
    for (const [text, message] of damaged) {
      writeFileSync(file, text);
      expect((await refusal(store.load("b"))).message).toMatch(message);
      // A save cannot compare with a version it cannot read: refused the same way, nothing written.
      await refusal(store.save("b", checkpointOf("b", "y"), 1));
      expect(readFileSync(file, "utf8")).toBe(text);
    }
  });

  it("breaks the lock of a dead process at once and removes its temporary file", async () => {
    const directory = fresh();
    mkdirSync(directory);
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const pid = Number(dead.stdout.toString());
    const token = "11111111-2222-4333-8444-555555555555";
    writeFileSync(
      join(directory, "batch-b.lock"),
      JSON.stringify({ pid, host: hostname(), token, time: Date.now() }),
    );
    writeFileSync(join(directory, `batch-b.${token}.tmp`), "{ half a checkp");
    const store = createFileBatchStore(directory, { staleLockMs: 60_000 });
    expect(await store.save("b", checkpointOf("b", "after"), 0)).toBe(1);
    expect(readdirSync(directory)).toStrictEqual(["batch-b.json"]);
  });

  it("waits for a live lock, and breaks one older than staleLockMs whose owner it cannot check", async () => {
    const directory = fresh();
    mkdirSync(directory);
    const lock = join(directory, "batch-b.lock");
    // A lock of this (live) process: held, so a save waits.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: "t" }));
    const store = createFileBatchStore(directory, { staleLockMs: 5_000 });
    let saved = false;
    const saving = store.save("b", checkpointOf("b", "x"), 0).then((version) => {
      saved = true;
      return version;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(saved).toBe(false);
    rmSync(lock);
    expect(await saving).toBe(1);
    // Written only in part by a process that died (no owner to check): broken once old enough.
    writeFileSync(lock, '{"pid":');
    const old = new Date(Date.now() - 10_000);
    utimesSync(lock, old, old);
    expect(await store.save("b", checkpointOf("b", "y"), 1)).toBe(2);
    expect(readdirSync(directory)).toStrictEqual(["batch-b.json"]);
  });

  it("refuses a directory that is no path, and options it cannot work with", () => {
    expect(() => createFileBatchStore("")).toThrow(InvalidOptionError);
    expect(() => createFileBatchStore(1 as unknown as string)).toThrow(/Option "directory"/);
    expect(() => createFileBatchStore(fresh(), { staleLockMs: 0 })).toThrow(/staleLockMs/);
  });

  it("loads a batch no one saved, in a directory no one made, as undefined", async () => {
    expect(await createFileBatchStore(join(fresh(), "not", "made")).load("b")).toBeUndefined();
  });
});
