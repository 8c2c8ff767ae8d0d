/**
 * lib/generated/contracts.ts is build output and git-ignored, so a fresh clone has none. Every entry
 * point awaits this before importing lib/chain/contracts.ts (dynamically), which makes a missing module a
 * non-event instead of a confusing "cannot find module".
 */
import { existsSync } from "node:fs";
import { GENERATED_PATH, ensureArtifacts, generateContracts } from "./codegen.ts";

export async function ensureGeneratedContracts(): Promise<void> {
  if (existsSync(GENERATED_PATH)) return;
  ensureArtifacts();
  generateContracts();
}
