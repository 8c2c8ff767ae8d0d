/**
 * Personal data in a text that is about to be published (an objection's reason, a roster's village
 * column): ID numbers, phone numbers, e-mail addresses, and long numbers that could be any of those or a
 * bank card. It cannot catch a name; it catches what is obvious, so that nobody publishes it by mistake.
 * Pure and browser-safe: the forms check before anything is signed, the server and the CLIs again.
 */

export type PersonalDataKind = "idNumber" | "phone" | "email" | "longNumber";

/**
 * Runs of digits, read the way a person writes a number: full-width digits as ASCII (NFKC), and spaces,
 * dots and hyphens inside the run ignored ("138 1234 5678", "0855-1234567"). Hex strings (0x… accounts
 * and hashes, which are public on chain anyway) are left out.
 */
function digitRuns(text: string): string[] {
  const plain = text.normalize("NFKC").replace(/0x[0-9a-fA-F]+/g, " ");
  return [...plain.matchAll(/\+?\d(?:[\d \-.]*[\dXx])?/g)].map((m) => m[0].replace(/[^\dXx]/g, ""));
}

/** The first kind of personal data the text seems to carry, or undefined. */
export function personalDataIn(text: string): PersonalDataKind | undefined {
  if (/[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}/.test(text.normalize("NFKC"))) return "email";
  for (const run of digitRuns(text)) {
    const digits = run.replace(/[Xx]$/, "");
    // Resident ID numbers: 18 characters (the last may be X) or the old 15 digits.
    if ((run.length === 18 && /^\d{17}[\dXx]$/.test(run)) || /^\d{15}$/.test(run)) return "idNumber";
    // Mainland mobiles (1[3-9] + 9 digits, optionally after 86) and landlines (0 + area code + number).
    if (/^(86)?1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits)) return "phone";
    // Anything else this long could be a bank card, an ID or a phone written another way.
    if (digits.length >= 9) return "longNumber";
  }
  return undefined;
}
