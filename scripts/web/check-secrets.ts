/**
 * Fails if anything that looks like a private key reached the browser bundle (.next/static).
 * `NEXT_PUBLIC_*` values and next.config `env` are inlined into client code, so one careless variable
 * would publish a key. A 64-hex-digit string is allowed only if it already appears in a dependency's
 * own published source (elliptic-curve constants in @noble/curves and the like) or is the keccak256 of a
 * condition name of our catalogue (lib/registry/catalogue.ts); anything else fails,
 * and Hardhat's well-known dev keys always fail.
 *
 *   bash scripts/setup.sh node scripts/web/check-secrets.ts
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { keccak256, toBytes } from "viem";
import { CONDITIONS } from "../../lib/registry/catalogue.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const HEX64 = /(?<![0-9a-fA-F])(?:0x)?([0-9a-fA-F]{64})(?![0-9a-fA-F])/g;
/** First keys of Hardhat's "test test ... junk" mnemonic: public, but never belong in a bundle. */
const DEV_KEYS = [
  "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
];

function* files(dir: string, ext: RegExp): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) yield* files(p, ext);
    else if (ext.test(name)) yield p;
  }
}

/** 64-hex literals published in the sources of the packages the bundle is built from. */
function publicConstants(): Set<string> {
  const known = new Set<string>();
  // @walletconnect and @reown (the WalletConnect provider and its QR modal) carry their own copies of
  // curve and hash libraries (secp256k1, ed25519, x25519 constants), loaded only when WalletConnect is.
  for (const pkg of ["@noble/curves", "@noble/hashes", "ox", "viem", "abitype", "next", "react-dom", "@walletconnect", "@reown"]) {
    for (const f of files(join(ROOT, "node_modules", pkg), /\.(m?js|cjs)$/)) {
      for (const m of readFileSync(f, "utf8").matchAll(HEX64)) known.add(m[1].toLowerCase());
    }
  }
  // Our own public constants: the condition ids, keccak256 of the catalogue's names (recomputed here, so a
  // key pasted into the catalogue would still be caught).
  for (const c of CONDITIONS) known.add(keccak256(toBytes(c.name)).slice(2));
  return known;
}

export function checkBundleSecrets(dir = join(ROOT, ".next", "static")): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: build the dApp first`);
  const allowed = publicConstants();
  const problems: string[] = [];
  for (const f of files(dir, /\.(js|css|html|json|txt)$/)) {
    for (const m of readFileSync(f, "utf8").matchAll(HEX64)) {
      const hex = m[1].toLowerCase();
      if (DEV_KEYS.includes(hex)) problems.push(`${f.slice(ROOT.length + 1)}: a Hardhat dev private key`);
      else if (!allowed.has(hex)) problems.push(`${f.slice(ROOT.length + 1)}: 64 hex digits not from any dependency (${hex.slice(0, 8)}…)`);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const problems = checkBundleSecrets();
  if (problems.length) {
    console.error(`Possible secrets in the browser bundle:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log("no private-key-like strings in .next/static");
}
