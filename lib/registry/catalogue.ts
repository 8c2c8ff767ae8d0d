/**
 * The catalogue of condition names officials attest: the one list every tool, page and report uses.
 * A condition id on chain is keccak256 of its name, so a typo in a CSV would silently create a
 * condition no project asks for: tools refuse names (and ids) not listed here unless the caller
 * explicitly allows them.
 *
 * The ids are written out (test/web/logic.ts checks each is keccak256 of its name), so this file needs
 * no hash at run time: the pure folds (lib/books/) and every public page can name conditions without
 * bundling a hasher. conditionId() in ./conditions.ts hashes any other name.
 */

export const CONDITIONS = [
  // per-capita income below the poverty line
  { name: "household.income-below-line", id: "0xaecf508c61b803d7d9690168b5850ef7742861a095cbe88c975d19aa142af48f" },
  // a school-age child enrolled ("see the students")
  { name: "household.child-in-school", id: "0x2977d0ac8c29a86ec0fe3a27463008319cec86f0451eba4640f060bdca516eab" },
  // dwelling assessed unsafe ("see the house")
  { name: "household.housing-unsafe", id: "0x74b66ccd892dd151446823c656f6ea673d1256b20bcd639c25c8d8d6790ca61e" },
  // no or little able-bodied labour ("see the labour")
  { name: "household.labour-shortage", id: "0xc24fbca72914744f6adde2aa316fa437b0110e622211fb273ec41a397df89e5f" },
  // a member with a serious or chronic illness
  { name: "household.serious-illness", id: "0x46e9c8208d90f33352e85337fad06a3e310701ed89aa1f3076d1cc214082888c" },
  // a member with a certified disability
  { name: "household.disability", id: "0x7878ac24d1bfd8c39f2f7e4546d1241c8817d350e3db09bdd03b31b149af89d1" },
  // hit by a declared disaster (emergency relief)
  { name: "household.disaster-affected", id: "0xc47def5af7de22e0192d78e12b7c24fa757ec3f8153a57cdb9fc066e9986aee7" },
] as const;

export const CONDITION_NAMES = CONDITIONS.map((c) => c.name);

export type ConditionName = (typeof CONDITIONS)[number]["name"];

/** id (lowercase hex) -> name, for showing ids back as names. */
export const CONDITION_BY_ID: Readonly<Record<string, string>> = Object.fromEntries(CONDITIONS.map((c) => [c.id, c.name]));

/** The id of a catalogue name, or undefined for a name outside the catalogue. */
export const catalogueId = (name: string): `0x${string}` | undefined => CONDITIONS.find((c) => c.name === name)?.id;

/** The catalogue name of an id, or the id itself. */
export function conditionLabel(idHex: string): string {
  return CONDITION_BY_ID[idHex.toLowerCase()] ?? idHex;
}

/** Catalogue key (e.g. "income-below-line") of a condition id, or undefined for ids outside the catalogue. */
export function conditionKey(id: string): string | undefined {
  return CONDITION_BY_ID[id.toLowerCase()]?.replace(/^household\./, "");
}

/** A human name: the translation of the catalogue key, or the short id. */
export function conditionName(id: string, translate: (key: string) => string): string {
  const key = conditionKey(id);
  return key ? translate(key) : `${id.slice(0, 10)}…`;
}
