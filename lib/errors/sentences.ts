/**
 * English sentences for Node callers (the CLIs, their tests): the same catalogue the dApp shows
 * (messages/en.json "errors.<Name>", with its status and role names), filled with the arguments that the
 * shared decoder and formatter of lib/errors/decode.ts produce. Times are ISO (UTC), hashes shortened, token
 * balances shown raw and at the stablecoin's 6 decimals. Not for the browser (it imports the catalogue).
 */
import { formatUnits } from "viem";
import en from "../../messages/en.json" with { type: "json" };
import { decodeRevertData, decodeWebError, errorParams, roleKey, type DecodedRevert, type ParamFormatters } from "./decode.ts";
import { enrolmentStatusName, projectStatusName } from "../escrow/status.ts";
import { shortHex } from "../format/text.ts";

export { findRevertData, knownErrorNames, errorInputNames, decodeWebError, errorParams, roleKey } from "./decode.ts";

/** The English sentence templates, by error name. */
export const ERROR_SENTENCES: Readonly<Record<string, string>> = en.errors;

const when = (t: bigint) => {
  const n = Number(t);
  return n > 0 && n < 1e11 ? new Date(n * 1000).toISOString().replace(".000Z", "Z") : String(t);
};

export const ENGLISH: ParamFormatters = {
  time: when,
  short: (h) => shortHex(h, 10, 4),
  projectStatus: (v) => en.status.project[projectStatusName(v)],
  enrolmentStatus: (v) => en.status.enrolment[enrolmentStatusName(v)],
  role: (r) => {
    const k = roleKey(r) as keyof typeof en.connect.roles | undefined;
    return k ? en.connect.roles[k] : shortHex(r, 10, 4);
  },
  amount: (v) => `${v} (${formatUnits(v, 6)} at 6 decimals)`,
};

/** Replaces each {name} of a catalogue template (the error catalogue uses plain placeholders only). */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{\s*([A-Za-z0-9_]+)\s*\}/g, (m, k: string) => params[k] ?? m);
}

/** The English sentence for a decoded error. */
export function sentence(name: string, args: Record<string, unknown>): string {
  const template = ERROR_SENTENCES[name];
  return template === undefined ? `The contract refused with ${name}.` : fillTemplate(template, errorParams(name, args, ENGLISH));
}

export interface DecodedError extends DecodedRevert {
  message: string;
}

/** Decodes raw revert data and says it in English. */
export function decodeRevert(data: string): DecodedError | undefined {
  const d = decodeRevertData(data);
  return d && { ...d, message: sentence(d.name, d.args) };
}

/** An English sentence for any error thrown while calling our contracts. */
export function explainError(err: unknown): string {
  const e = decodeWebError(err);
  switch (e.kind) {
    case "revert":
      return sentence(e.name, e.args);
    case "rejected":
      return en.tx.rejected;
    case "insufficientFunds":
      return "The sending account cannot pay for gas.";
    case "network":
      return "Cannot reach the RPC node. Is it running (npm start)?";
    case "wrongNetwork":
      return en.tx.wrongNetwork;
    case "unknown":
      return e.message;
  }
}
