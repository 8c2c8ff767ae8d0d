/**
 * Condition names for the browser. The catalogue's home is lib/conditions.ts, which hashes with ethers;
 * importing it would pull ethers into every public page, so the names are repeated here and
 * test/web/conditions.ts fails if the two lists (or their ids) ever differ.
 */
import type { Hex } from "viem";
import { conditionIdOf } from "../format/text.ts";

export const WEB_CONDITION_NAMES = [
  "household.income-below-line",
  "household.child-in-school",
  "household.housing-unsafe",
  "household.labour-shortage",
  "household.serious-illness",
  "household.disability",
  "household.disaster-affected",
] as const;

export const WEB_CONDITION_BY_ID: Record<string, string> = Object.fromEntries(
  WEB_CONDITION_NAMES.map((n) => [conditionIdOf(n).toLowerCase(), n]),
);

/** Catalogue key (e.g. "income-below-line") of a condition id, or undefined for ids outside the catalogue. */
export function conditionKey(id: Hex | string): string | undefined {
  return WEB_CONDITION_BY_ID[id.toLowerCase()]?.replace(/^household\./, "");
}

/** A human name: the translation of the catalogue key, or the short id. */
export function conditionName(id: Hex | string, translate: (key: string) => string): string {
  const key = conditionKey(id);
  return key ? translate(key) : `${id.slice(0, 10)}…`;
}
