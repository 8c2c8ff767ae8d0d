/**
 * The printable cards (lib/registry/household-cards-html.ts) without the CLI: what each card says in
 * both languages, that nothing the office types can break out of the page, that the page fetches
 * nothing, and that every QR an independent decoder reads back is the card's own text at the documented
 * size and error correction.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import en from "../../messages/en.json" with { type: "json" };
import zh from "../../messages/zh-CN.json" with { type: "json" };
import { commitHousehold } from "../../lib/registry/household.ts";
import { encodeCardPayload, parseCardPayload } from "../../lib/registry/household-card.ts";
import { QR_ERROR_CORRECTION, QR_QUIET_ZONE, cardQrMatrix, escapeHtml, renderCardSheet, type CardInput } from "../../lib/registry/household-cards-html.ts";
import { decodeCards } from "../helpers/household-cards.ts";

const card = (i: number, idKind: "cn-ric" | "local" = "cn-ric"): CardInput => {
  const salt = `0x${(i + 1).toString(16).padStart(2, "0").repeat(32)}` as Hex;
  return { reference: `丹溪-${String(i).padStart(3, "0")}`, idKind, salt, commitment: commitHousehold({ idKind, idNumber: `LS-DX-${i}` }, salt) };
};
const CARDS = [card(0), card(1), card(2, "local")];

describe("household cards (lib/registry/household-cards-html.ts)", function () {
  it("draw one card per household whose QR decodes to its kind, salt and commitment: version 8, level Q, with the quiet zone", function () {
    const html = renderCardSheet(CARDS, { issuedOn: "2026-12-06" });
    const decoded = decodeCards(html);
    expect(decoded.map((d) => [d.reference, d.commitment])).to.deep.equal(CARDS.map((c) => [c.reference, c.commitment]));
    for (const [i, d] of decoded.entries()) {
      expect(d.text, CARDS[i].reference).to.equal(encodeCardPayload(CARDS[i]));
      expect(parseCardPayload(d.text!)).to.deep.equal({ ok: true, card: { idKind: CARDS[i].idKind, salt: CARDS[i].salt, commitment: CARDS[i].commitment } });
      expect(d.version).to.equal(8);
      expect(d.modules).to.equal(49 + 2 * QR_QUIET_ZONE);
    }
    expect(QR_ERROR_CORRECTION).to.equal("Q");
    expect(cardQrMatrix(encodeCardPayload(CARDS[0]))).to.deep.include({ size: 49, version: 8 });
  });

  it("say on every card, in Chinese and English, what it is and to keep it, with the reference, a short commitment, the date and the issuer", function () {
    const html = renderCardSheet(CARDS, { issuedOn: "2026-12-06", issuer: "雷山县 Leishan county" });
    const sections = [...html.matchAll(/<section class="card"[^>]*>(.*?)<\/section>/g)].map((m) => m[1]);
    expect(sections).to.have.length(3);
    for (const [i, body] of sections.entries()) {
      for (const text of [zh.householdCard.title, en.householdCard.title, zh.householdCard.keep, en.householdCard.keep, zh.householdCard.private, en.householdCard.private])
        expect(body, `card ${i}: ${text}`).to.contain(escapeHtml(text));
      expect(body).to.contain(`<strong>${CARDS[i].reference}</strong>`);
      expect(body).to.contain(`${CARDS[i].commitment.slice(0, 10)}…${CARDS[i].commitment.slice(-8)}`);
      expect(body).to.contain(zh.householdCard.issued.replace("{date}", "2026-12-06"));
      expect(body).to.contain(en.householdCard.issued.replace("{date}", "2026-12-06"));
      expect(body).to.contain("雷山县 Leishan county");
      // The salt is in the QR only: never as text a photo of the card would show plainly.
      expect(body).to.not.contain(CARDS[i].salt.slice(2));
    }
    expect(html).to.contain(en.householdCard.sheetCount.replace("{count}", "3"));
    expect(html).to.contain(zh.householdCard.sheetCount.replace("{count}", "3"));
  });

  it("mark the file private and fetch nothing: no script, no external resource, a CSP that forbids every request", function () {
    const html = renderCardSheet(CARDS, { issuedOn: "2026-12-06" });
    expect(html).to.match(/^<!doctype html>\n<!-- PRIVATE: every card below carries its household's secret salt/);
    expect(html).to.contain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).to.not.match(/<script|<link|<img|<iframe|src=|href=|url\(/i);
  });

  it("escape what the office types, so an issuer or a reference cannot add markup to the page", function () {
    const hostile = `"><script>alert(1)</script><img src=x onerror='x'>&`;
    const html = renderCardSheet([{ ...CARDS[0], reference: hostile }], { issuedOn: "2026-12-06", issuer: hostile });
    expect(html).to.not.contain("<script>").and.not.contain("<img");
    expect(html).to.contain("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;x&#39;&gt;&amp;");
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("report each card drawn, for the progress bar", function () {
    let drawn = 0;
    renderCardSheet(CARDS, { issuedOn: "2026-12-06", onCard: () => drawn++ });
    expect(drawn).to.equal(3);
  });
});
