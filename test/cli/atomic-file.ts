/**
 * scripts/cli/atomic-file.ts, which every file-writing CLI uses (roster build, household register and
 * cards): a crash or an error while writing never leaves a half file under the real name, nor a
 * temporary file beside it; a private file is private from its first byte, not only once complete.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomically } from "../../scripts/cli/atomic-file.ts";

describe("writing a file atomically (scripts/cli/atomic-file.ts)", function () {
  const dir = mkdtempSync(join(tmpdir(), "precisionaid-atomic-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes strings and bytes, and returns the size and sha256 of what it wrote", async function () {
    const path = join(dir, "mixed.txt");
    const result = await writeFileAtomically(path, ["丹溪,", new Uint8Array([0x41, 0x0a])]);
    const bytes = readFileSync(path);
    expect(bytes.toString("utf8")).to.equal("丹溪,A\n");
    expect(result).to.deep.equal({ bytes: bytes.length, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}` });
    expect(readdirSync(dir)).to.deep.equal(["mixed.txt"]);
  });

  it("leaves the old file as it was, and no temporary file, when the parts fail half-way", async function () {
    const path = join(dir, "register.csv");
    writeFileSync(path, "the old register\n");
    async function* failing() {
      yield "the first half of a new register\n";
      throw new Error("disk full");
    }
    let error: Error | undefined;
    await writeFileAtomically(path, failing()).catch((e: Error) => (error = e));
    expect(error?.message).to.equal("disk full");
    expect(readFileSync(path, "utf8")).to.equal("the old register\n");
    expect(readdirSync(dir).filter((f) => f.startsWith("register.csv"))).to.deep.equal(["register.csv"]);
  });

  it("leaves no temporary file when the real name cannot be replaced (a folder is in the way)", async function () {
    const path = join(dir, "taken");
    mkdirSync(path);
    let error: NodeJS.ErrnoException | undefined;
    await writeFileAtomically(path, ["data"]).catch((e: NodeJS.ErrnoException) => (error = e));
    expect(error?.code).to.be.oneOf(["EISDIR", "ENOTEMPTY", "EEXIST"]);
    expect(statSync(path).isDirectory()).to.equal(true);
    expect(readdirSync(dir).filter((f) => f.startsWith("taken"))).to.deep.equal(["taken"]);
  });

  it("creates a private file with its mode before the first byte is written, whatever the umask", async function () {
    const path = join(dir, "private.csv");
    const seen: number[] = [];
    const old = process.umask(0o000);
    try {
      async function* parts() {
        yield "salt,";
        // Half-way, the file exists only under its temporary name, already 0600.
        const temporary = readdirSync(dir).find((f) => f.startsWith("private.csv.tmp-"));
        expect(temporary, "a temporary file beside the real name").to.be.a("string");
        seen.push(statSync(join(dir, temporary!)).mode & 0o777);
        expect(existsSync(path)).to.equal(false);
        yield "0x01\n";
      }
      await writeFileAtomically(path, parts(), { mode: 0o600 });
    } finally {
      process.umask(old);
    }
    expect(seen).to.deep.equal([0o600]);
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path, "utf8")).to.equal("salt,0x01\n");
  });

  it("replaces a readable file by a private one when asked", async function () {
    const path = join(dir, "was-public.csv");
    writeFileSync(path, "x", { mode: 0o644 });
    await writeFileAtomically(path, ["y"], { mode: 0o600 });
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path, "utf8")).to.equal("y");
  });
});
