/**
 * A household's identity commitment: the only thing about a household that goes on chain. This file is
 * the one home of the recipe (docs/HOUSEHOLDS.md, "The commitment recipe", with test vectors); the
 * register CLI, the cards, the demo seed, the tests and (later) the officials' page all compute it here.
 *
 *   idKind     "cn-ric" (China's 18-character resident ID number, the default) or "local" (a reference
 *              the county issues to a household with no usable resident ID)
 *   idNumber   the number normalised by `normaliseIdNumber` (so "11010519491231002x" typed with
 *              full-width digits and the upper-case form give the same commitment)
 *   salt       32 random bytes per household (`newSalt`), used as they are
 *
 *   commitment = keccak256(abi.encode(
 *                  HOUSEHOLD_COMMITMENT_TYPEHASH,   // keccak256("HouseholdCommitment(string idKind,string idNumber,bytes32 salt)")
 *                  keccak256(bytes(idKind)),
 *                  keccak256(bytes(idNumber)),
 *                  salt))
 *
 * which is EIP-712's `hashStruct` of a `HouseholdCommitment` (any EIP-712 library reproduces it; nothing
 * signs it). The type hash is the recipe's domain tag and version: a commitment cannot be mistaken for
 * any other hash, and another recipe would have another type. The salt and the ID number never go on
 * chain; they stay in the county's register and on the household's card.
 *
 * Pure: no Node-only code, so the browser can use it too (`crypto.getRandomValues` is global in both).
 */
import { encodeAbiParameters, keccak256, toBytes, toHex, type Hex } from "viem";

export const HOUSEHOLD_COMMITMENT_TYPE = "HouseholdCommitment(string idKind,string idNumber,bytes32 salt)";
export const HOUSEHOLD_COMMITMENT_TYPEHASH: Hex = keccak256(toBytes(HOUSEHOLD_COMMITMENT_TYPE));

export const ID_KINDS = ["cn-ric", "local"] as const;
export type IdKind = (typeof ID_KINDS)[number];
export const DEFAULT_ID_KIND: IdKind = "cn-ric";

/** A normalised identity: what the commitment hashes besides the salt. */
export interface HouseholdIdentity {
  idKind: IdKind;
  idNumber: string;
}

/** Length bounds of a "local" reference, after normalisation. */
export const LOCAL_ID_LENGTH = { min: 4, max: 32 } as const;
/** Earliest birth date a resident ID number may carry. */
export const EARLIEST_BIRTH_DATE = "19000101";

/**
 * Every way an ID number can be refused, with the parameters its sentence uses. The English `message`
 * is for the CLIs; the dApp renders `householdId.<code>` from its catalogues (test/lib/household.ts checks
 * both languages have every code with these parameters).
 */
export const ID_PROBLEM_PARAMS = {
  missing: [],
  kindUnknown: ["kind", "kinds"],
  firstGeneration: [],
  length: ["length"],
  characters: [],
  birthDate: ["date"],
  checkCharacter: [],
  localFormat: ["min", "max"],
} as const satisfies Record<string, readonly string[]>;
export type IdProblemCode = keyof typeof ID_PROBLEM_PARAMS;
export const ID_PROBLEM_CODES = Object.keys(ID_PROBLEM_PARAMS) as IdProblemCode[];

export interface IdProblem {
  code: IdProblemCode;
  /** Which input the problem is in: the kind or the number. */
  field: "idKind" | "idNumber";
  params: Record<string, string | number>;
  /** English, for the CLIs. */
  message: string;
}

export type NormalisedId = ({ ok: true } & HouseholdIdentity) | { ok: false; problem: IdProblem };

/** ISO 7064 MOD 11-2 weights of the first 17 digits (2^(17-i) mod 11), as GB 11643-1999 lists them. */
const RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** The check character for each value of (weighted sum mod 11). */
const RIC_CHECK = "10X98765432";

/** The ISO 7064 MOD 11-2 check character of a resident ID number's first 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError("a resident ID's check character is computed over 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RIC_WEIGHTS[i];
  return RIC_CHECK[sum % 11];
}

/**
 * Full-width forms (U+FF01..U+FF5E, and the ideographic space U+3000) to their ASCII twins: exactly
 * what a Chinese input method produces by accident. Deliberately not Unicode NFKC, whose tables change
 * between Unicode versions and fold far more (circled digits, superscripts): the recipe must give the
 * same bytes in any language, today and later.
 */
export function fullWidthToAscii(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** YYYYMMDD is a real calendar date from 1900-01-01 up to `latest` (inclusive). */
function plausibleBirthDate(yyyymmdd: string, latest: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && yyyymmdd >= EARLIEST_BIRTH_DATE && yyyymmdd <= latest;
}

const yyyymmdd = (d: Date) => d.toISOString().slice(0, 10).replaceAll("-", "");

export interface NormaliseOptions {
  /** "Now", for the birth-date check (default: the clock). A birth date up to a day ahead of it is
   * accepted, so a newborn registered in China's morning is not refused by UTC. */
  now?: Date;
}

/**
 * Normalises an ID number of `kind` (default "cn-ric") and checks it, or says what is wrong with it.
 *
 * cn-ric: full-width characters to ASCII; every space removed (cards print the number in groups); "x" to
 * "X"; then exactly 18 characters, 17 digits and a digit or X; characters 7-14 a real birth date from
 * 1900-01-01 to today; and the last one the ISO 7064 MOD 11-2 check character of the first 17 (which
 * catches every single mistyped digit and every swap of two neighbours). The same 18-character format,
 * check included, serves the residence permits of Hong Kong, Macao and Taiwan residents and the 2023
 * foreigners' permanent residence ID, so they are cn-ric too. A 15-digit first-generation number is
 * refused: those cards expired in 2013, and converting would give some people two identities.
 *
 * local: full-width to ASCII, spaces removed, upper case; then 4 to 32 of A-Z, 0-9 and "-". The county's
 * register is what keeps these unique.
 */
export function normaliseIdNumber(raw: string, kind: string = DEFAULT_ID_KIND, o: NormaliseOptions = {}): NormalisedId {
  const fail = (code: IdProblemCode, message: string, params: IdProblem["params"] = {}, field: IdProblem["field"] = "idNumber"): NormalisedId => ({
    ok: false,
    problem: { code, field, params, message },
  });
  const idKind = kind.trim().toLowerCase() as IdKind;
  if (!ID_KINDS.includes(idKind)) {
    return fail("kindUnknown", `unknown ID kind "${kind}" (expected one of: ${ID_KINDS.join(", ")})`, { kind, kinds: ID_KINDS.join(", ") }, "idKind");
  }
  const number = fullWidthToAscii(raw).replace(/\s+/g, "").toUpperCase();
  if (number === "") return fail("missing", "missing");

  if (idKind === "local") {
    const { min, max } = LOCAL_ID_LENGTH;
    if (!new RegExp(`^[A-Z0-9-]{${min},${max}}$`).test(number))
      return fail("localFormat", `a local reference is ${min} to ${max} of the letters A-Z, digits and "-"`, { min, max });
    return { ok: true, idKind, idNumber: number };
  }

  if (/^\d{15}$/.test(number))
    return fail("firstGeneration", "a 15-digit first-generation ID number: use the 18-character number of the current ID card");
  if (number.length !== 18)
    return fail("length", `has ${number.length} characters; a resident ID number has 18`, { length: number.length });
  if (!/^\d{17}[\dX]$/.test(number))
    return fail("characters", "a resident ID number is 17 digits followed by a digit or X");
  const now = o.now ?? new Date();
  const birth = number.slice(6, 14);
  if (!plausibleBirthDate(birth, yyyymmdd(new Date(now.getTime() + 86_400_000))))
    return fail("birthDate", `characters 7-14 (${birth}) are not a birth date from 1900 to today`, { date: birth });
  // Never say which character was expected: the mistake is as likely in any other digit.
  if (residentIdCheckCharacter(number.slice(0, 17)) !== number[17])
    return fail("checkCharacter", "the check character (the last one) does not match the other 17: a character was probably mistyped");
  return { ok: true, idKind, idNumber: number };
}

/** 32 fresh random bytes from the platform's cryptographic generator: one per household, never reused. */
export function newSalt(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** 0x + 64 hex digits, not all zero (a zero salt means a salt was never drawn). */
export function isSalt(value: string): value is Hex {
  return /^0x[0-9a-fA-F]{64}$/.test(value) && !/^0x0{64}$/.test(value);
}

/**
 * The commitment of an already-normalised identity and its salt: the exact hash, nothing checked.
 * Callers with raw input use `householdCommitment`.
 */
export function commitHousehold(identity: HouseholdIdentity, salt: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }],
      [HOUSEHOLD_COMMITMENT_TYPEHASH, keccak256(toBytes(identity.idKind)), keccak256(toBytes(identity.idNumber)), salt],
    ),
  );
}

/** Normalises and checks `idNumber` (throwing its problem as an Error), then commits it with `salt`. */
export function householdCommitment(idNumber: string, salt: Hex, idKind: string = DEFAULT_ID_KIND, o: NormaliseOptions = {}): Hex {
  const id = normaliseIdNumber(idNumber, idKind, o);
  if (!id.ok) throw new RangeError(`ID number: ${id.problem.message}`);
  if (!isSalt(salt)) throw new RangeError(`salt: expected 0x + 64 hex digits, not all zero`);
  return commitHousehold(id, salt);
}
