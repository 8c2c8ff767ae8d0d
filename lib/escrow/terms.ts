/**
 * Validates a create-project form against every rule AidEscrow.createProject enforces, so the manager
 * sees each problem next to its field before anything is sent. Pure; unit-tested in test/web/logic.ts and test/lib/terms.ts.
 * Problems are catalogue keys (messages "manager.err.<key>") with parameters.
 */
import { isAddress, type Address, type Hex } from "viem";
import { textToBytes32 } from "../format/text.ts";
import { ISO_DATE, parseTime } from "../format/time.ts";
import { conditionId } from "../registry/conditions.ts";
import { readAmount } from "../format/amount.ts";

export interface TermsForm {
  token: string; // "ETH" or an ERC-20 address
  decimals: number;
  title: string;
  category: string;
  region: string;
  conditions: string[]; // catalogue names
  threshold: string;
  amountPerTranche: string;
  unlockDates: string[]; // YYYY-MM-DD
  maxBeneficiaries: string;
  fundingDeadline: string; // YYYY-MM-DD
  claimDeadline: string; // YYYY-MM-DD
  publicityWindowDays: string;
}

export interface Limits {
  now: number; // chain time
  maxConditions: number;
  maxThreshold: number;
  maxTranches: number;
}

export interface TermsProblem {
  field: keyof TermsForm;
  key: string;
  values?: Record<string, string | number>;
}

export interface ProjectTermsArg {
  token: Address;
  category: Hex;
  region: Hex;
  metadataURI: string;
  conditions: Hex[];
  threshold: number;
  amountPerTranche: bigint;
  trancheUnlockTimes: number[];
  maxBeneficiaries: number;
  fundingDeadline: number;
  claimDeadline: number;
  publicityWindow: number;
}

const UINT88_MAX = (1n << 88n) - 1n;
const UINT32_MAX = 2 ** 32 - 1;
/** The form's date inputs give YYYY-MM-DD (midnight UTC), read by the one time parser. */
const date = (d: string) => (ISO_DATE.test(d.trim()) ? parseTime(d) : undefined);
const int = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined);

/** The fields of ProjectTerms a rule of createProject can refuse. */
export type TermsField = "conditions" | "threshold" | "amountPerTranche" | "maxBeneficiaries" | "fundingDeadline" | "claimDeadline" | "trancheUnlockTimes" | "publicityWindow";

export interface TermsRuleProblem {
  field: TermsField;
  /** The sentence's key (messages "manager.err.<key>"). */
  key: string;
  values?: Record<string, string | number>;
}

/**
 * Every rule AidEscrow.createProject enforces on resolved terms (_writeTerms), checked before anything is
 * sent: the one terms validator of the escrow, used by the create-project form (through validateTerms)
 * and the project CLI alike. A value the caller could not read yet is left undefined and not checked.
 */
export function checkProjectTerms(
  t: {
    conditions?: readonly unknown[];
    threshold?: number;
    amountPerTranche?: bigint;
    maxBeneficiaries?: number;
    fundingDeadline?: number;
    claimDeadline?: number;
    trancheUnlockTimes?: readonly (number | undefined)[];
    publicityWindow?: number;
  },
  l: Limits,
  o: { decimals?: number } = {},
): TermsRuleProblem[] {
  const problems: TermsRuleProblem[] = [];
  const add = (field: TermsField, key: string, values?: TermsRuleProblem["values"]) => problems.push({ field, key, ...(values && { values }) });
  if (t.conditions !== undefined && (t.conditions.length === 0 || t.conditions.length > l.maxConditions)) add("conditions", "conditionCount", { max: l.maxConditions });
  if (t.threshold !== undefined && (t.threshold < 1 || t.threshold > l.maxThreshold)) add("threshold", "threshold", { max: l.maxThreshold });
  if (t.amountPerTranche !== undefined && (t.amountPerTranche <= 0n || t.amountPerTranche > UINT88_MAX)) add("amountPerTranche", "amount", { decimals: o.decimals ?? 18 });
  if (t.maxBeneficiaries !== undefined && (t.maxBeneficiaries < 1 || t.maxBeneficiaries > UINT32_MAX)) add("maxBeneficiaries", "maxBeneficiaries");
  const { fundingDeadline: funding, claimDeadline: claim } = t;
  if (funding !== undefined && funding <= l.now) add("fundingDeadline", "fundingPast");
  if (claim !== undefined && funding !== undefined && claim < funding) add("claimDeadline", "claimBeforeFunding");
  const unlocks = t.trancheUnlockTimes;
  if (unlocks !== undefined) {
    if (unlocks.length === 0 || unlocks.length > l.maxTranches) add("trancheUnlockTimes", "trancheCount", { max: l.maxTranches });
    unlocks.forEach((u, i) => {
      if (u === undefined) return;
      const before = i > 0 ? unlocks[i - 1] : undefined;
      if (before !== undefined && u <= before) add("trancheUnlockTimes", "unlockOrder", { n: i + 1 });
      else if (claim !== undefined && u >= claim) add("trancheUnlockTimes", "unlockAfterClaim", { n: i + 1 });
    });
  }
  if (t.publicityWindow !== undefined && (t.publicityWindow < 1 || t.publicityWindow > UINT32_MAX)) add("publicityWindow", "window");
  return problems;
}

/** The form's fields in the order the form shows them (problems are listed in this order). */
const FORM_ORDER: (keyof TermsForm)[] = ["token", "title", "category", "region", "conditions", "threshold", "amountPerTranche", "maxBeneficiaries", "fundingDeadline", "claimDeadline", "unlockDates", "publicityWindowDays"];
const FORM_FIELD: Record<TermsField, keyof TermsForm> = {
  conditions: "conditions",
  threshold: "threshold",
  amountPerTranche: "amountPerTranche",
  maxBeneficiaries: "maxBeneficiaries",
  fundingDeadline: "fundingDeadline",
  claimDeadline: "claimDeadline",
  trancheUnlockTimes: "unlockDates",
  publicityWindow: "publicityWindowDays",
};

/** Reads the create-project form into terms: what the form cannot read is its own problem, the rest goes through checkProjectTerms. */
export function validateTerms(f: TermsForm, l: Limits): { problems: TermsProblem[]; terms?: ProjectTermsArg } {
  const problems: TermsProblem[] = [];
  const add = (field: keyof TermsForm, key: string, values?: TermsProblem["values"]) => problems.push({ field, key, values });

  let token: Address | undefined = "0x0000000000000000000000000000000000000000";
  if (f.token !== "ETH") {
    if (isAddress(f.token)) token = f.token as Address;
    else add("token", "token");
  }
  if (!f.title.trim()) add("title", "title");
  const label = (field: "category" | "region", v: string): Hex | undefined => {
    if (!v.trim()) return void add(field, "required");
    if (!/^[\x20-\x7e]+$/.test(v)) return void add(field, "ascii");
    try {
      return textToBytes32(v.trim());
    } catch {
      return void add(field, "tooLong");
    }
  };
  const category = label("category", f.category);
  const region = label("region", f.region);

  const uniq = [...new Set(f.conditions)];
  const threshold = int(f.threshold);
  if (threshold === undefined) add("threshold", "threshold", { max: l.maxThreshold });
  const reading = readAmount(f.amountPerTranche, f.decimals);
  if (!reading.ok) add("amountPerTranche", reading.problem === "ambiguous" ? "amountAmbiguous" : "amount", reading.problem === "ambiguous" ? undefined : { decimals: f.decimals });
  const maxBeneficiaries = int(f.maxBeneficiaries);
  if (maxBeneficiaries === undefined) add("maxBeneficiaries", "maxBeneficiaries");
  const funding = date(f.fundingDeadline);
  const claim = date(f.claimDeadline);
  if (funding === undefined) add("fundingDeadline", "date");
  if (claim === undefined) add("claimDeadline", "date");
  const unlocks = f.unlockDates.map(date);
  unlocks.forEach((u, i) => u === undefined && add("unlockDates", "unlockDate", { n: i + 1 }));
  const windowDays = Number(f.publicityWindowDays);
  if (!(windowDays > 0)) add("publicityWindowDays", "window");
  const publicityWindow = windowDays > 0 ? Math.round(windowDays * 86400) : undefined;
  const amount = reading.ok ? reading.value : undefined;

  for (const r of checkProjectTerms(
    { conditions: uniq, threshold, amountPerTranche: amount, maxBeneficiaries, fundingDeadline: funding, claimDeadline: claim, trancheUnlockTimes: unlocks, publicityWindow },
    l,
    { decimals: f.decimals },
  ))
    add(FORM_FIELD[r.field], r.key, r.values);
  // Listed field by field in the form's order; within a field, in the order found (tranche by tranche).
  const byTranche = (p: TermsProblem) => (p.field === "unlockDates" ? Number(p.values?.n ?? 0) : 0);
  problems.sort((x, y) => FORM_ORDER.indexOf(x.field) - FORM_ORDER.indexOf(y.field) || byTranche(x) - byTranche(y));

  if (problems.length) return { problems };
  return {
    problems,
    terms: {
      token: token!,
      category: category!,
      region: region!,
      metadataURI: `data:application/json,${encodeURIComponent(JSON.stringify({ title: f.title.trim() }))}`,
      conditions: uniq.map(conditionId),
      threshold: threshold!,
      amountPerTranche: amount!,
      trancheUnlockTimes: unlocks as number[],
      maxBeneficiaries: maxBeneficiaries!,
      fundingDeadline: funding!,
      claimDeadline: claim!,
      publicityWindow: publicityWindow!,
    },
  };
}
