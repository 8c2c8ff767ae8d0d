#!/usr/bin/env bash
# Roster gas ablation: what each piece of the claim and approval paths that the brief requires costs,
# MEASURED by removing it from a scratch copy of AidRosterProgramme and re-running the roster gas bench.
# The variants are experiments only: they break safety on purpose and never leave the scratch copy.
#
#   npm run bench:roster-ablation        (about 5 minutes; prints a table, writes bench/results/roster-ablation.json)
#
# Pieces: the claim gate read (pause, cancellation, root version), the Claimed event, the reentrancy
# guard, the relayed claim's nonce read, and the approval's per-signer isOfficial read in the registry.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCRATCH="$(mktemp -d /tmp/precisionaid-ablation-XXXXXX)"
cleanup() { git -C "$ROOT" worktree remove --force "$SCRATCH/tree" >/dev/null 2>&1 || true; rm -rf "$SCRATCH"; }
trap cleanup EXIT

git -C "$ROOT" worktree add --detach --quiet "$SCRATCH/tree" HEAD
# The committed contracts and bench, with the working tree's uncommitted edits to them if any.
cp -a "$ROOT/contracts" "$ROOT/scripts" "$ROOT/test" "$SCRATCH/tree/"
# Hard links: no second install. (Next's build cannot follow a symlinked node_modules; Hardhat can, but
# links keep the scratch tree identical to a real checkout.)
cp -al "$ROOT/node_modules" "$SCRATCH/tree/node_modules"
[ -d "$ROOT/.tools" ] && cp -al "$ROOT/.tools" "$SCRATCH/tree/.tools"
cd "$SCRATCH/tree"
# The files the pieces live in: the programme, and the shared libraries it links or inlines.
FILES="contracts/AidRosterProgramme.sol contracts/libraries/AidClaimNonces.sol contracts/libraries/AidSignatures.sol"
cp -a contracts "$SCRATCH/original-contracts"

measure() {
  local name=$1
  shift
  rm -rf contracts && cp -a "$SCRATCH/original-contracts" contracts
  node - "$FILES" "$@" <<'JS'
const fs = require("node:fs");
const [files, ...pairs] = process.argv.slice(2);
const texts = Object.fromEntries(files.split(" ").map((f) => [f, fs.readFileSync(f, "utf8")]));
for (let i = 0; i < pairs.length; i += 2) {
  const file = Object.keys(texts).find((f) => texts[f].includes(pairs[i]));
  if (!file) throw new Error(`ablation: pattern not found (the contract changed?): ${pairs[i]}`);
  texts[file] = texts[file].split(pairs[i]).join(pairs[i + 1]);
}
for (const [f, s] of Object.entries(texts)) fs.writeFileSync(f, s);
JS
  echo "measuring: $name" >&2
  bash scripts/setup.sh node_modules/.bin/hardhat run scripts/bench/roster-gas.ts >"$SCRATCH/$name.log" 2>&1 || { cat "$SCRATCH/$name.log" >&2; exit 1; }
  cp bench/results/gas-roster.json "$SCRATCH/$name.json"
}

measure baseline
measure no-gate-read 'g = _st.gates[computed];' \
  'if (computed == bytes32(uint256(1))) revert AidRosterNoRoster(address(this)); g = RosterGate({version: 1, leafCount: type(uint32).max, claimsOpenAt: 1, cancelledAt: 0, pausedAt: 0});'
measure no-event 'emit Claimed(account, index, tranche, amount);' ''
measure no-guard \
  'function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof) external nonReentrant {' \
  'function claim(uint256 index, uint256 tranche, uint256 amount, bytes32[] calldata proof) external {' \
  'function claimBySig(SignedRosterClaim calldata request) external nonReentrant {' \
  'function claimBySig(SignedRosterClaim calldata request) external {'
measure no-nonce-read 'uint256 expected = _claimNonces[account];' 'uint256 expected = signed;'
measure no-official-read 'if (!registry.isOfficial(signer)) revert IAidSharedErrors.AidSignaturesNotOfficial(signer);' ''

node - "$SCRATCH" "$ROOT/bench/results/roster-ablation.json" <<'JS'
const fs = require("node:fs");
const [dir, out] = process.argv.slice(2);
const load = (n) => Object.fromEntries(Object.entries(JSON.parse(fs.readFileSync(`${dir}/${n}.json`, "utf8")).operations).map(([op, r]) => [op, r.gas]));
const base = load("baseline");
const variants = ["no-gate-read", "no-event", "no-guard", "no-nonce-read", "no-official-read"];
const runs = Object.fromEntries(variants.map((v) => [v, load(v)]));
const ops = Object.keys(base).filter((op) => /roster claim|per claim|root approval/.test(op));
const rows = ops.map((op) => ({ operation: op, baseline: base[op], saved: Object.fromEntries(variants.map((v) => [v, base[op] - runs[v][op]])) }));
const w = Math.max(...ops.map((o) => o.length));
console.log(`\n${"operation".padEnd(w)}  ${"baseline".padStart(8)}  ${variants.map((v) => v.padStart(16)).join("")}`);
for (const r of rows) console.log(`${r.operation.padEnd(w)}  ${String(r.baseline).padStart(8)}  ${variants.map((v) => String(r.saved[v]).padStart(16)).join("")}`);
console.log("\n(columns: gas saved by removing that piece; the variants are unsafe experiments, never deployed)");
fs.mkdirSync(require("node:path").dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ measuredAt: new Date().toISOString(), variants, rows }, null, 2) + "\n");
console.log(`wrote ${out}`);
JS
