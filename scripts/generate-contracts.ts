/**
 * `npm run generate`: writes the typed contracts module (lib/generated/) from the build's and Ignition's
 * files. The generator itself is lib/chain/codegen.ts (entry points that find the module missing call it
 * through lib/chain/ensure-generated.ts).
 *
 *   bash scripts/setup.sh node scripts/generate-contracts.ts
 */
import { GENERATED_PATH, ROOT, ensureArtifacts, generateContracts } from "../lib/chain/codegen.ts";

export { ROOT };

ensureArtifacts();
const chains = generateContracts();
console.log(`wrote ${GENERATED_PATH.slice(ROOT.length + 1)} (chains: ${chains.join(", ") || "none deployed"})`);
