/**
 * An objection's reason as text (issue 9, item 3). Only its keccak256 goes on chain (the `reasonHash` of
 * `object`); the text itself is published by the dApp's server (lib/objections/store.ts, served at
 * /api/objections/<hash>) so that a reviewer rules knowing why. It is public: it must carry no personal
 * data. These rules run twice, in the browser before anything is signed and on the server before
 * anything is stored, so a name-free text is the only kind that reaches either.
 *
 * Browser-safe and pure (viem's keccak only).
 */
import { keccak256, toBytes, type Hex } from "viem";
import { personalDataIn } from "../format/personal-data.ts";

/** A reason is a few sentences; a longer text is not what the form is for (and would fill the store). */
export const MAX_OBJECTION_TEXT_BYTES = 2_000;

/** Why a text is refused; each code has a sentence in messages/<locale>.json (objectionText.problem.<code>). */
export type ObjectionTextProblem = "empty" | "tooLong" | "idNumber" | "phone" | "email" | "longNumber";

export const OBJECTION_TEXT_PROBLEMS: readonly ObjectionTextProblem[] = ["empty", "tooLong", "idNumber", "phone", "email", "longNumber"];

/** The text exactly as it is hashed and stored: trimmed, in Unicode NFC (one byte sequence per text). */
export function normaliseObjectionText(text: string): string {
  return text.normalize("NFC").trim();
}

/** The on-chain reasonHash of a (normalised) text. */
export function objectionTextHash(text: string): Hex {
  return keccak256(toBytes(text));
}

export const isReasonHash = (value: string): value is Hex => /^0x[0-9a-fA-F]{64}$/.test(value);

/** The first reason to refuse this (normalised) text, or undefined when it may be published. */
export function checkObjectionText(text: string): ObjectionTextProblem | undefined {
  if (text.length === 0) return "empty";
  if (toBytes(text).length > MAX_OBJECTION_TEXT_BYTES) return "tooLong";
  return personalDataIn(text);
}
