/**
 * A roster programme's terms file (`roster create --terms terms.json`): checked against
 * lib/roster/programme-terms.schema.json (ajv; unknown keys refused), then what a schema cannot know
 * (31 bytes of UTF-8 per label, tUSD only where it exists), then resolved against the chain's clock
 * with the one time parser. Every problem names the file and its field, and nothing is sent.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ErrorObject } from "ajv";
import { zeroAddress } from "viem";
import { textToBytes32 } from "../format/text.ts";
import { parseDuration, parseTime } from "../format/time.ts";
import { RosterInputError } from "./lifecycle.ts";

export const PROGRAMME_TERMS_SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), "programme-terms.schema.json");

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(PROGRAMME_TERMS_SCHEMA_PATH, "utf8")));

/** Every problem of one terms file (the first is also the error's own file and field). */
export class ProgrammeTermsError extends RosterInputError {
  readonly problems: { field: string; reason: string }[];
  constructor(file: string, problems: { field: string; reason: string }[]) {
    super(file, problems[0].field, problems[0].reason);
    this.problems = problems;
    this.message = problems.map((p) => `${file}: ${p.field}: ${p.reason}`).join("\n");
  }
}

/** A JSON pointer as the field name people read: /trancheUnlockTimes/1 -> trancheUnlockTimes[1]. */
const fieldOf = (pointer: string) => pointer.slice(1).split("/").map((part, i) => (/^\d+$/.test(part) && i > 0 ? `[${part}]` : (i > 0 ? "." : "") + part)).join("");

const TIME_REASON = (v: unknown) => `must be unix seconds, an ISO date or "+Nd", got ${JSON.stringify(v)}`;

function reasonFor(field: string, value: unknown): string {
  const top = field.replace(/\[.*$/, "");
  if (top === "token") return `must be "ETH", "tUSD" or an address, got ${JSON.stringify(value)}`;
  if (top === "category" || top === "region") return "must be a label of 1 to 31 bytes";
  if (top === "metadataURI") return "must be a non-empty string";
  if (field === "trancheUnlockTimes") return "must be a non-empty list";
  if (top === "trancheUnlockTimes" || top === "fundingDeadline" || top === "claimDeadline") return TIME_REASON(value);
  if (top === "publicityWindow") return `must be seconds or a duration such as "7d", got ${JSON.stringify(value)}`;
  if (top === "threshold") return "must be a whole number of officials, from 1 to 255";
  return "is invalid";
}

function valueAt(raw: Record<string, unknown>, pointer: string): unknown {
  let v: unknown = raw;
  for (const part of pointer.split("/").slice(1)) v = (v as Record<string, unknown> | undefined)?.[part];
  return v;
}

function problemsOf(raw: Record<string, unknown>, errors: ErrorObject[]): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let field: string;
    let reason: string;
    if (e.keyword === "additionalProperties") {
      field = fieldOf(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`);
      reason = "is not allowed here";
    } else if (e.keyword === "required") {
      field = fieldOf(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`);
      reason = "is required";
    } else {
      field = fieldOf(e.instancePath);
      reason = reasonFor(field, valueAt(raw, e.instancePath));
    }
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, reason });
  }
  return out;
}

export interface ProgrammeTerms {
  token: string;
  category: `0x${string}`;
  region: `0x${string}`;
  metadataURI: string;
  trancheUnlockTimes: number[];
  fundingDeadline: number;
  claimDeadline: number;
  publicityWindow: number;
  threshold: number;
}

/** Checks a terms file field by field and resolves its times against the chain's clock. */
export function resolveProgrammeTerms(file: string, raw: Record<string, unknown>, ctx: { now: number; stablecoin?: string }): ProgrammeTerms {
  if (!validate(raw)) throw new ProgrammeTermsError(file, problemsOf(raw, validate.errors ?? []));
  const problems: { field: string; reason: string }[] = [];
  const label = (field: "category" | "region") => {
    try {
      return textToBytes32(raw[field] as string);
    } catch {
      problems.push({ field, reason: "must be a label of 1 to 31 bytes" });
      return "0x" as `0x${string}`;
    }
  };
  let token = raw.token as string;
  if (token === "ETH") token = zeroAddress;
  else if (token === "tUSD") {
    if (ctx.stablecoin) token = ctx.stablecoin;
    else problems.push({ field: "token", reason: "tUSD exists only on the local chain; give the token's address" });
  }
  const terms: ProgrammeTerms = {
    token,
    category: label("category"),
    region: label("region"),
    metadataURI: raw.metadataURI as string,
    trancheUnlockTimes: (raw.trancheUnlockTimes as (string | number)[]).map((t) => parseTime(t, { now: ctx.now })!),
    fundingDeadline: parseTime(raw.fundingDeadline as string | number, { now: ctx.now })!,
    claimDeadline: parseTime(raw.claimDeadline as string | number, { now: ctx.now })!,
    publicityWindow: parseDuration(raw.publicityWindow as string | number)!,
    threshold: raw.threshold as number,
  };
  if (problems.length) throw new ProgrammeTermsError(file, problems);
  return terms;
}
