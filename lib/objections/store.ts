/**
 * The published objection texts, content-addressed: one file per text, named by its keccak256 (the
 * reasonHash the chain records), under one folder. Node only (node:fs): the dApp's route handler
 * (lib/server/objections.ts), the reviewer page's server reads and the devnet seed use it.
 *
 * Durable: a text is written to a temporary file, flushed to disk, renamed into place and the folder
 * flushed, so an accepted text survives a crash or restart, and a reader never sees half a file. A text
 * is never overwritten (its name is its hash: the same name can only ever hold the same text).
 */
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isReasonHash, objectionTextHash } from "./text.ts";

/**
 * Where the texts live: OBJECTIONS_DIR, else the devnet's folder named after its RPC port
 * (.devnet/objections-<port>/), so two devnets on one machine never share texts.
 */
export function objectionsDir(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  if (env.OBJECTIONS_DIR?.trim()) return resolve(env.OBJECTIONS_DIR.trim());
  let port = "8545";
  try {
    port = new URL(env.NEXT_PUBLIC_RPC_URL ?? "http://127.0.0.1:8545").port || "80";
  } catch {
    // a malformed RPC URL: the default devnet's folder
  }
  return join(cwd, ".devnet", `objections-${port}`);
}

/** A stored text as read back: `matches` is false when the file no longer hashes to its name. */
export interface StoredObjectionText {
  text: string;
  matches: boolean;
}

export class ObjectionTextStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private path(hash: string): string {
    if (!isReasonHash(hash)) throw new RangeError(`not a reason hash: ${hash}`);
    return join(this.dir, `${hash.toLowerCase()}.txt`);
  }

  /** The text stored under `hash`, or undefined when nobody stored one. */
  async get(hash: string): Promise<StoredObjectionText | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(hash), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    return { text, matches: objectionTextHash(text) === hash.toLowerCase() };
  }

  /**
   * Stores `text` under its own hash. The caller has checked the text (checkObjectionText); this checks
   * only that the name is the text's hash. "existed" when the same text was stored before.
   */
  async put(text: string): Promise<{ hash: string; result: "stored" | "existed" }> {
    const hash = objectionTextHash(text);
    const path = this.path(hash);
    const existing = await this.get(hash);
    if (existing?.matches) return { hash, result: "existed" };
    await mkdir(this.dir, { recursive: true });
    const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const file = await open(temporary, "w", 0o644);
    try {
      await file.writeFile(text, "utf8");
      await file.sync();
    } catch (err) {
      await file.close();
      await rm(temporary, { force: true });
      throw err;
    }
    await file.close();
    await rename(temporary, path);
    // The rename itself must reach the disk too, or a crash could forget the file.
    const folder = await open(this.dir, "r");
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
    return { hash, result: "stored" };
  }
}
