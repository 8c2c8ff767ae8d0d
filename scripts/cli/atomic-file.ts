/**
 * Writing a file so that a crash never leaves a half file under the real name: the parts go to a
 * temporary name beside it, which is then renamed over it. Shared by the CLIs that write files
 * (`roster build`, `household register` and `cards`).
 */
import { chmodSync, closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { createHash } from "node:crypto";

export interface AtomicWriteOptions {
  /** Permission bits of the file (default 0o666 less the umask, as for any new file). A private file passes 0o600: the
   * temporary file is created with it, so the data is never readable by others, not even for a moment. */
  mode?: number;
}

/**
 * Writes `parts` to `path` through a temporary name and returns the size and sha256. No fsync: every
 * file written this way is rebuilt from its inputs in seconds, and waiting for a large one to reach the
 * disk would double the time to write it.
 */
export async function writeFileAtomically(
  path: string,
  parts: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>,
  o: AtomicWriteOptions = {},
): Promise<{ bytes: number; sha256: string }> {
  const temporary = `${path}.tmp-${process.pid}`;
  const hash = createHash("sha256");
  const encoder = new TextEncoder();
  let bytes = 0;
  const fd = openSync(temporary, "w", o.mode ?? 0o666);
  try {
    for await (const piece of parts) {
      const part = typeof piece === "string" ? encoder.encode(piece) : piece;
      let written = 0;
      while (written < part.length) written += writeSync(fd, part, written, part.length - written);
      hash.update(part);
      bytes += part.length;
    }
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    // The mode given at creation is narrowed by the umask but never widened; set it exactly.
    if (o.mode !== undefined) chmodSync(temporary, o.mode);
    renameSync(temporary, path);
  } catch (error) {
    // The real name is taken by something that cannot be replaced (a folder): leave nothing behind.
    rmSync(temporary, { force: true });
    throw error;
  }
  return { bytes, sha256: `0x${hash.digest("hex")}` };
}
