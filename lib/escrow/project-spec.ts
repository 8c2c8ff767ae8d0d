/**
 * Project spec files for `npm run project`: checked against lib/escrow/project-spec.schema.json
 * (ajv), then against what a schema cannot know (the condition catalogue, 31-byte labels), with every
 * error reported at its JSON path so a manager can find it in the file.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ErrorObject } from "ajv";
import { parseUnits, zeroAddress } from "viem";
import { textToBytes32 } from "../format/text.ts";
import { parseDuration, parseTime } from "../format/time.ts";
import { CONDITION_BY_ID, conditionId } from "../registry/conditions.ts";

export const PROJECT_SPEC_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), "project-spec.schema.json");

type Time = number | string;
export type ProjectSpec =
  | {
      action: "create";
      terms: {
        token: string;
        category: string;
        region: string;
        metadataURI: string;
        conditions: string[];
        threshold: number;
        amountPerTranche: string;
        trancheUnlockTimes: Time[];
        maxBeneficiaries: number;
        fundingDeadline: Time;
        claimDeadline: Time;
        publicityWindow: number | string;
      };
    }
  | { action: "fund"; projectId: number; amount: string; permit?: boolean; termsVersion?: number }
  | { action: "cancel"; projectId: number; withdraw?: boolean };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

export interface SpecError {
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(PROJECT_SPEC_SCHEMA_PATH, "utf8")));

/** ajv reports if/then and oneOf wrappers too; keep the errors that say what is wrong where. */
function toSpecErrors(errors: ErrorObject[]): SpecError[] {
  const out: SpecError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "if") continue;
    let path = e.instancePath || "/";
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperty" || e.keyword === "additionalProperties") {
      path = `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = "is not allowed here";
    } else if (e.keyword === "required") {
      path = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = "is required";
    } else if (e.schemaPath.startsWith("#/definitions/time/")) {
      message = "must be unix seconds, an ISO date (2027-06-30) or a time after now (+10d, +12h, +30m)";
    } else if (e.schemaPath.startsWith("#/definitions/amount/")) {
      // "1,5" or "1,000" could mean two amounts: only one reading is accepted in a file.
      message = 'must be a decimal string with a point and no thousands separators, like "1.5" or "1500"';
    } else if (e.schemaPath.includes("/publicityWindow/oneOf/")) {
      message = "must be seconds or a duration (7d, 12h, 30m)";
    } else if (e.keyword === "enum") {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
    }
    const key = `${path}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path, message });
    }
  }
  // A oneOf failure under a path that already has a precise error adds nothing; drop the vaguer ones.
  return out.filter((e) => !(e.message.startsWith("must match exactly one schema") && out.some((o) => o !== e && o.path === e.path && !o.message.startsWith("must match"))));
}

export function validateProjectSpec(value: unknown): { spec?: ProjectSpec; errors: SpecError[] } {
  if (!validate(value)) return { errors: toSpecErrors(validate.errors ?? []) };
  const spec = value as ProjectSpec;
  const errors: SpecError[] = [];
  if (spec.action === "create") {
    spec.terms.conditions.forEach((c, i) => {
      const known = BYTES32.test(c) ? CONDITION_BY_ID[c.toLowerCase()] : CONDITION_BY_ID[conditionId(c).toLowerCase()];
      if (!known && !BYTES32.test(c)) errors.push({ path: `/terms/conditions/${i}`, message: `unknown condition "${c}"` });
    });
    for (const field of ["category", "region"] as const) {
      try {
        textToBytes32(spec.terms[field]);
      } catch {
        errors.push({ path: `/terms/${field}`, message: "must fit in 31 bytes of UTF-8" });
      }
    }
  }
  return errors.length ? { errors } : { spec, errors };
}

/** A validated spec's time (the schema admits only what parseTime reads) as unix seconds. */
export function resolveTime(t: Time, now: number): number {
  return parseTime(t, { now })!;
}

/** A validated spec's duration as seconds. */
export function resolveDuration(d: number | string): number {
  return parseDuration(d)!;
}

/** Turns a validated create spec into the ProjectTerms tuple createProject takes. */
export function resolveTerms(
  terms: Extract<ProjectSpec, { action: "create" }>["terms"],
  ctx: { now: number; stablecoin?: string; decimals: number },
) {
  let token = terms.token;
  if (token === "ETH") token = zeroAddress;
  else if (token === "tUSD") {
    if (!ctx.stablecoin) throw new Error("/terms/token: tUSD exists only on local chains; give the token's address");
    token = ctx.stablecoin;
  }
  return {
    token,
    category: textToBytes32(terms.category),
    region: textToBytes32(terms.region),
    metadataURI: terms.metadataURI,
    conditions: terms.conditions.map((c) => (BYTES32.test(c) ? (c as `0x${string}`) : conditionId(c))),
    threshold: terms.threshold,
    amountPerTranche: parseUnits(terms.amountPerTranche, ctx.decimals),
    trancheUnlockTimes: terms.trancheUnlockTimes.map((t) => resolveTime(t, ctx.now)),
    maxBeneficiaries: terms.maxBeneficiaries,
    fundingDeadline: resolveTime(terms.fundingDeadline, ctx.now),
    claimDeadline: resolveTime(terms.claimDeadline, ctx.now),
    publicityWindow: resolveDuration(terms.publicityWindow),
  };
}
