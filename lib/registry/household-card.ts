/**
 * What a household's card QR says, and checking a card at the door (docs/HOUSEHOLDS.md, "The card").
 *
 *   PRECISIONAID:HH:1:<ID KIND>:<SALT>:<COMMITMENT>
 *   e.g. PRECISIONAID:HH:1:CN-RIC:2593C244…CCC1:D195713E…2489   (salt and commitment: 64 hex digits each)
 *
 * Upper case only, so the whole text is in the QR alphanumeric set: the symbol is about a fifth smaller
 * than the same data in byte mode, which a worn card and a cheap phone camera both appreciate. The
 * account is not on the card: it changes with a re-bind; the household's commitment does not. With the
 * card and the household's ID card, any office re-derives the commitment ("apply at any door"):
 * `checkCard` says whether the ID number typed at the door is the one the card was made for.
 *
 * Pure: the dApp's scanner and the CLIs share it.
 */
import type { Hex } from "viem";
import { ID_KINDS, commitHousehold, normaliseIdNumber, type IdKind, type IdProblem, type NormaliseOptions } from "./household.ts";

export const CARD_PREFIX = "PRECISIONAID:HH:1:";

export interface CardPayload {
  idKind: IdKind;
  salt: Hex;
  commitment: Hex;
}

/** The QR text of a card. */
export function encodeCardPayload(card: CardPayload): string {
  return `${CARD_PREFIX}${card.idKind}:${card.salt.slice(2)}:${card.commitment.slice(2)}`.toUpperCase();
}

/** Reads a card's QR text (any case; surrounding spaces, as a USB scanner may add, are ignored), or says why not. */
export function parseCardPayload(text: string): { ok: true; card: CardPayload } | { ok: false; message: string } {
  const t = text.trim().toUpperCase();
  if (!t.startsWith(CARD_PREFIX)) return { ok: false, message: `not a PrecisionAid household card (its text starts with ${CARD_PREFIX})` };
  const parts = t.slice(CARD_PREFIX.length).split(":");
  if (parts.length !== 3) return { ok: false, message: "a card's text has the ID kind, the salt and the commitment after its prefix" };
  const [kind, salt, commitment] = parts;
  const idKind = kind.toLowerCase() as IdKind;
  if (!ID_KINDS.includes(idKind)) return { ok: false, message: `unknown ID kind "${kind}" on the card` };
  if (!/^[0-9A-F]{64}$/.test(salt) || /^0{64}$/.test(salt)) return { ok: false, message: "the card's salt is not 64 hex digits" };
  if (!/^[0-9A-F]{64}$/.test(commitment)) return { ok: false, message: "the card's commitment is not 64 hex digits" };
  return { ok: true, card: { idKind, salt: `0x${salt.toLowerCase()}`, commitment: `0x${commitment.toLowerCase()}` } };
}

export type CardCheck =
  | { ok: true; matches: boolean; commitment: Hex; derived: Hex }
  | { ok: false; problem: IdProblem };

/** Re-derives the commitment from the card's salt and an ID number typed at the door, and compares. */
export function checkCard(card: CardPayload, idNumber: string, o: NormaliseOptions = {}): CardCheck {
  const id = normaliseIdNumber(idNumber, card.idKind, o);
  if (!id.ok) return { ok: false, problem: id.problem };
  const derived = commitHousehold(id, card.salt);
  return { ok: true, matches: derived === card.commitment, commitment: card.commitment, derived };
}
