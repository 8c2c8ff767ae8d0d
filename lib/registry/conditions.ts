/**
 * The catalogue of condition names officials attest. A condition id on chain is keccak256 of its name,
 * so a typo in a CSV would silently create a condition no project asks for: tools refuse names (and ids)
 * not listed here unless the caller explicitly allows them.
 */
import { id } from "ethers";

export const CONDITION_NAMES = [
  "household.income-below-line", // per-capita income below the poverty line
  "household.child-in-school", // a school-age child enrolled ("see the students")
  "household.housing-unsafe", // dwelling assessed unsafe ("see the house")
  "household.labour-shortage", // no or little able-bodied labour ("see the labour")
  "household.serious-illness", // a member with a serious or chronic illness
  "household.disability", // a member with a certified disability
  "household.disaster-affected", // hit by a declared disaster (emergency relief)
] as const;

export type ConditionName = (typeof CONDITION_NAMES)[number];

export const conditionId = (name: string) => id(name);

/** id (lowercase hex) -> name, for showing ids back as names. */
export const CONDITION_BY_ID: Record<string, string> = Object.fromEntries(CONDITION_NAMES.map((n) => [id(n).toLowerCase(), n]));

export function conditionLabel(idHex: string): string {
  return CONDITION_BY_ID[idHex.toLowerCase()] ?? idHex;
}
