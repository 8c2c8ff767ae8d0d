/**
 * The import rules (.dependency-cruiser.cjs, a step of `npm test`) hold on the real tree, and bite: the
 * same check over a small tree with one bad import of each kind fails, naming each rule.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

function cruise(cwd: string, paths: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...paths, "--config", CONFIG, "--output-type", "err"], { cwd, encoding: "utf8" });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "precisionaid-imports-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("import rules (dependency-cruiser)", function () {
  this.timeout(60_000);

  it("hold on the repository: app -> components -> hooks -> lib, scripts -> lib, viem only", function () {
    const run = cruise(ROOT, ["app", "components", "hooks", "lib", "scripts", "proxy.ts"]);
    expect(run.code, run.out).to.equal(0);
  });

  it("fail on a tree that breaks them, naming each broken rule", function () {
    const dir = tree({
      "app/page.ts": "export const page = 1;\n",
      "components/Card.ts": 'import { page } from "../app/page.ts";\nexport const card = page;\n',
      "hooks/useThing.ts": 'import { card } from "../components/Card.ts";\nexport const useThing = () => card;\n',
      "lib/chain/reader.ts": 'import { run } from "../../scripts/tool.ts";\nexport const read = run;\n',
      "lib/books/fold.ts": 'import { keccak256 } from "viem";\nexport const fold = keccak256;\n',
      "lib/escrow/old.ts": 'import { id } from "ethers";\nexport const old = id;\n',
      "scripts/tool.ts": 'import { useThing } from "../hooks/useThing.ts";\nexport const run = useThing;\n',
      "scripts/bench/gas.ts": 'import { id } from "ethers";\nexport const gas = id;\n',
    });
    const run = cruise(dir, ["app", "components", "hooks", "lib", "scripts"]);
    expect(run.code, run.out).to.not.equal(0);
    for (const rule of ["components-import-app", "hooks-import-upward", "lib-imports-upward", "books-are-pure", "one-client-library", "scripts-import-the-dapp"]) {
      expect(run.out, rule).to.contain(rule);
    }
    // The Hardhat-run gas bench may keep ethers.
    expect(run.out).to.not.match(/one-client-library[^\n]*scripts\/bench\/gas\.ts/);
  });

  it("pass on a tree that keeps them", function () {
    const dir = tree({
      "lib/format/text.ts": "export const shout = (s: string) => s.toUpperCase();\n",
      "hooks/useShout.ts": 'import { shout } from "../lib/format/text.ts";\nexport const useShout = () => shout;\n',
      "components/Title.ts": 'import { useShout } from "../hooks/useShout.ts";\nexport const title = useShout;\n',
      "app/page.ts": 'import { title } from "../components/Title.ts";\nexport const page = title;\n',
      "scripts/cli.ts": 'import { shout } from "../lib/format/text.ts";\nexport const cli = shout;\n',
    });
    const run = cruise(dir, ["app", "components", "hooks", "lib", "scripts"]);
    expect(run.code, run.out).to.equal(0);
  });
});
