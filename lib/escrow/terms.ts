/**
 * Validates a create-project form against every rule AidEscrow.createProject enforces, so the manager
 * sees each problem next to its field before anything is sent. Pure; unit-tested in test/web/terms.ts.
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
  if (uniq.length === 0 || uniq.length > l.maxConditions) add("conditions", "conditionCount", { max: l.maxConditions });
  const threshold = int(f.threshold);
  if (threshold === undefined || threshold < 1 || threshold > l.maxThreshold) add("threshold", "threshold", { max: l.maxThreshold });
  const reading = readAmount(f.amountPerTranche, f.decimals);
  const amount = reading.ok && reading.value <= UINT88_MAX ? reading.value : undefined;
  if (!reading.ok && reading.problem === "ambiguous") add("amountPerTranche", "amountAmbiguous");
  else if (amount === undefined) add("amountPerTranche", "amount", { decimals: f.decimals });
  const maxBeneficiaries = int(f.maxBeneficiaries);
  if (!maxBeneficiaries || maxBeneficiaries > UINT32_MAX) add("maxBeneficiaries", "maxBeneficiaries");
  const funding = date(f.fundingDeadline);
  const claim = date(f.claimDeadline);
  if (funding === undefined) add("fundingDeadline", "date");
  else if (funding <= l.now) add("fundingDeadline", "fundingPast");
  if (claim === undefined) add("claimDeadline", "date");
  else if (funding !== undefined && claim < funding) add("claimDeadline", "claimBeforeFunding");
  const unlocks = f.unlockDates.map(date);
  if (unlocks.length === 0 || unlocks.length > l.maxTranches) add("unlockDates", "trancheCount", { max: l.maxTranches });
  unlocks.forEach((u, i) => {
    if (u === undefined) add("unlockDates", "unlockDate", { n: i + 1 });
    else if (i > 0 && unlocks[i - 1] !== undefined && u <= unlocks[i - 1]!) add("unlockDates", "unlockOrder", { n: i + 1 });
    else if (claim !== undefined && u >= claim) add("unlockDates", "unlockAfterClaim", { n: i + 1 });
  });
  const windowDays = Number(f.publicityWindowDays);
  if (!(windowDays > 0) || windowDays * 86400 > UINT32_MAX) add("publicityWindowDays", "window");

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
      publicityWindow: Math.round(windowDays * 86400),
    },
  };
}
