/**
 * Printable household cards: one self-contained HTML file (docs/DECISIONS.md, decision 39: "Household
 * cards are a printable HTML file"), A4 pages of ten 90 x 54 mm cards with cut lines. Each card has its household's
 * QR (lib/registry/household-card.ts) as an inline SVG, the reference, a short form of the commitment,
 * and "keep this card" in Chinese and English (messages/*.json "householdCard"). Any browser prints it;
 * the text uses the printing machine's own CJK fonts, and nothing is fetched: the page's
 * Content-Security-Policy forbids every network request, so opening the file cannot leak a salt.
 *
 * The QR symbol comes from the `qrcode` library (its matrix, error correction level Q: a quarter of the
 * symbol may be worn away); the SVG is drawn here from that matrix, one path of dark runs per row, so
 * the tests can read every module back (test/lib/household-cards.ts decodes them with jsQR).
 */
import QRCode from "qrcode";
import en from "../../messages/en.json" with { type: "json" };
import zh from "../../messages/zh-CN.json" with { type: "json" };
import { shortHex } from "../format/text.ts";
import { encodeCardPayload, type CardPayload } from "./household-card.ts";

export interface CardInput extends CardPayload {
  reference: string;
}

export interface CardSheetOptions {
  /** The day the cards are issued (YYYY-MM-DD). */
  issuedOn: string;
  /** Who issues them, printed on every card (e.g. "雷山县 Leishan county"); optional. */
  issuer?: string;
  /** Called after each card is drawn (a progress bar). */
  onCard?: () => void;
}

/** Modules of white around the symbol, as the QR standard asks. */
export const QR_QUIET_ZONE = 4;
export const QR_ERROR_CORRECTION = "Q" as const;

/** The QR symbol of a card's text: its size in modules and whether module (row, col) is dark. */
export function cardQrMatrix(text: string): { size: number; version: number; dark: (row: number, col: number) => boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return { size: qr.modules.size, version: qr.version, dark: (r, c) => Boolean(qr.modules.get(r, c)) };
}

/**
 * An SVG of the symbol, quiet zone included, in module units: a white square, then one path made of
 * `M<x> <y>h<n>v1h-<n>z` rectangles, one per horizontal run of dark modules.
 */
export function qrSvg(text: string, label: string): string {
  const { size, dark } = cardQrMatrix(text);
  const full = size + 2 * QR_QUIET_ZONE;
  const runs: string[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; ) {
      if (!dark(r, c)) {
        c++;
        continue;
      }
      let n = 1;
      while (c + n < size && dark(r, c + n)) n++;
      runs.push(`M${c + QR_QUIET_ZONE} ${r + QR_QUIET_ZONE}h${n}v1h-${n}z`);
      c += n;
    }
  }
  return (
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges" role="img" aria-label="${escapeHtml(label)}">` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${runs.join("")}"/></svg>`
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (m, k: string) => String(params[k] ?? m));

const t = { en: en.householdCard, zh: zh.householdCard };

function cardHtml(card: CardInput, o: CardSheetOptions): string {
  const e = escapeHtml;
  const both = (zhText: string, enText: string, cls: string) => `<p class="${cls}" lang="zh-CN">${e(zhText)}</p><p class="${cls} en" lang="en">${e(enText)}</p>`;
  const issued = [fill(t.zh.issued, { date: o.issuedOn }), fill(t.en.issued, { date: o.issuedOn }), ...(o.issuer ? [o.issuer] : [])].join(" · ");
  return [
    `<section class="card" data-reference="${e(card.reference)}" data-commitment="${card.commitment}">`,
    `<div class="text">`,
    both(t.zh.title, t.en.title, "title"),
    `<p class="field"><span>${e(t.zh.reference)} ${e(t.en.reference)}</span><strong>${e(card.reference)}</strong></p>`,
    `<p class="field"><span>${e(t.zh.code)} ${e(t.en.code)}</span><code>${shortHex(card.commitment, 10, 8)}</code></p>`,
    both(t.zh.keep, t.en.keep, "keep"),
    `</div>`,
    qrSvg(encodeCardPayload(card), `${t.en.title}: ${card.reference}`),
    `<div class="foot">${both(t.zh.private, t.en.private, "private")}<p class="issued">${e(issued)}</p></div>`,
    `</section>`,
  ].join("");
}

const STYLE = `
@page { size: A4; margin: 10mm 15mm; }
* { box-sizing: border-box; margin: 0; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; }
.sheet-note { max-width: 180mm; margin: 6mm auto; padding: 3mm; border: 0.5mm solid #b00; color: #b00; font-size: 10pt; }
.sheet { display: grid; grid-template-columns: repeat(2, 90mm); justify-content: center; }
.card { width: 90mm; height: 54mm; padding: 3mm; border: 0.2mm dashed #888; display: grid; grid-template-columns: 1fr 34mm;
  grid-template-rows: 1fr auto; gap: 1mm 2.5mm; break-inside: avoid; page-break-inside: avoid; overflow: hidden; font-size: 6.6pt; line-height: 1.25; }
.text { grid-column: 1; grid-row: 1; display: flex; flex-direction: column; gap: 0.8mm; }
.qr { grid-column: 2; grid-row: 1; width: 34mm; height: 34mm; }
.foot { grid-column: 1 / span 2; grid-row: 2; font-size: 5.6pt; color: #333; }
.title { font-size: 9pt; font-weight: bold; }
.title.en { font-size: 7pt; margin-top: -0.8mm; }
.field span { display: block; font-size: 5.6pt; color: #555; }
.field strong { font-size: 8pt; }
.field code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 6.4pt; }
.keep { font-weight: bold; }
.en { color: #222; }
@media print { .sheet-note { display: none; } }
`;

/**
 * The whole printable file for `cards`. PRIVATE like the register: every card carries its household's
 * salt, and the file says so in its first lines and on screen (the warning does not print).
 */
export function renderCardSheet(cards: readonly CardInput[], o: CardSheetOptions): string {
  const count = { count: cards.length };
  return [
    "<!doctype html>",
    "<!-- PRIVATE: every card below carries its household's secret salt (as the county's register does).",
    "     Print, cut, hand each card to its household, then delete this file. Never publish or send it.",
    "     Written by `npm run household -- cards` (docs/HOUSEHOLDS.md). -->",
    `<html lang="zh-CN"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="robots" content="noindex"><title>${escapeHtml(`${t.zh.sheetTitle} ${t.en.sheetTitle}`)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header class="sheet-note"><p lang="zh-CN">${escapeHtml(t.zh.sheetWarning)} ${escapeHtml(fill(t.zh.sheetCount, count))}</p>`,
    `<p lang="en">${escapeHtml(t.en.sheetWarning)} ${escapeHtml(fill(t.en.sheetCount, count))}</p></header>`,
    `<main class="sheet">`,
    ...cards.map((c) => {
      const html = cardHtml(c, o);
      o.onCard?.();
      return html;
    }),
    `</main></body></html>`,
    "",
  ].join("\n");
}
