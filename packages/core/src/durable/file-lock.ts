import { randomUUID } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";

/**
 * The lock of one batch in a file store: the file `<base>.lock`, created with `open(path, "wx")`
 * (O_CREAT | O_EXCL: of processes creating it at once, exactly one succeeds), holding who made it:
 * `{ pid, host, token, time }`. It is held only while a save compares the stored version and
 * replaces the file, a few milliseconds.
 *
 * A lock left by a process that died (kill -9, power loss) is stale, and is broken: at once when
 * its process is known dead (same host, `kill(pid, 0)` says no such process), otherwise once it is
 * older than `staleMs`. Breaking is safe against a second breaker: the lock is renamed away under
 * a name of the breaker's own (rename is atomic, so only one breaker gets it), and if what it got
 * is not the lock it judged stale (someone had already broken that one and locked again), it is
 * linked back. The temporary file the dead holder may have left (`<base>.<token>.tmp`) goes too.
 *
 * A holder that stalls longer than `staleMs` (a stopped process, a very slow disk) can lose its
 * lock to a breaker: before it replaces the batch's file it checks that the lock is still its own
 * (`holds`), and starts over if not. Only a stall of more than `staleMs` between that check and
 * the rename that follows it could let two saves through; keep `staleMs` far above a save's time.
 */
export interface FileLock {
  /** The holder's token, which also names its temporary file. */
  readonly token: string;
  /** True while the lock file is still this holder's. */
  holds(): Promise<boolean>;
  /** Removes the lock file if it is still this holder's. */
  release(): Promise<void>;
}

interface LockOwner {
  readonly pid?: unknown;
  readonly host?: unknown;
  readonly token?: unknown;
}

const host = hostname();

/** Waits until the lock of `base` (a path without suffix) is this caller's, and returns it. */
export async function acquireFileLock(base: string, staleMs: number): Promise<FileLock> {
  const path = `${base}.lock`;
  const token = randomUUID();
  const owner = JSON.stringify({ pid: process.pid, host, token, time: Date.now() });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(owner);
      } finally {
        await handle.close();
      }
      const holds = async () => (await readOwner(path))?.text === owner;
      return {
        token,
        holds,
        release: async () => {
          if (await holds()) await unlink(path).catch(ignoreMissing);
        },
      };
    } catch (error) {
      if (!isCode(error, "EEXIST")) throw error;
    }
    const found = await readOwner(path);
    if (found && (await isStale(path, found.owner, staleMs))) {
      await breakLock(base, path, found.text, found.owner);
      continue;
    }
    // Held: a save takes milliseconds. Wait a little, longer after each try, with jitter so that
    // processes waiting together do not retry in step.
    await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50) * Math.random()));
  }
}

async function readOwner(path: string): Promise<{ text: string; owner: LockOwner } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
  let owner: LockOwner = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) owner = parsed;
  } catch {
    // Written only in part: its holder died between creating it and writing it, or is writing
    // it now. Its age decides.
  }
  return { text, owner };
}

async function isStale(path: string, owner: LockOwner, staleMs: number): Promise<boolean> {
  if (owner.host === host && typeof owner.pid === "number" && !isAlive(owner.pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch (error) {
    if (isCode(error, "ENOENT")) return false; // released meanwhile: try again
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return !isCode(error, "ESRCH");
  }
}

async function breakLock(base: string, path: string, text: string, owner: LockOwner) {
  const away = `${base}.${randomUUID()}.broken`;
  try {
    await rename(path, away);
  } catch (error) {
    if (isCode(error, "ENOENT")) return; // released, or broken by another
    throw error;
  }
  const moved = await readFile(away, "utf8");
  if (moved !== text) {
    // Not the lock judged stale: a live one taken since. Put it back, unless a third process has
    // locked meanwhile; then its holder finds at `holds()` that it lost it, and starts over.
    await link(away, path).catch((error: unknown) => {
      if (!isCode(error, "EEXIST")) throw error;
    });
  } else if (typeof owner.token === "string" && /^[\w-]+$/.test(owner.token)) {
    await unlink(`${base}.${owner.token}.tmp`).catch(ignoreMissing);
  }
  await unlink(away).catch(ignoreMissing);
}

export function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

export function ignoreMissing(error: unknown): void {
  if (!isCode(error, "ENOENT")) throw error;
}
