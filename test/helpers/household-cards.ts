/**
 * Reading household cards back as a phone would: every QR symbol of a cards file (the SVG that
 * lib/registry/household-cards-html.ts draws, one `M x y h n v1 h-n z` rectangle per run of dark modules)
 * is rasterised and decoded with jsQR, an independent decoder, so a test checks what a scanner reads
 * rather than what the drawing code meant to draw.
 */
import jsQR from "jsqr";

export interface DecodedCard {
  reference: string;
  commitment: string;
  /** The QR's text, or undefined when jsQR could not read the symbol. */
  text: string | undefined;
  version: number | undefined;
  /** The symbol's width in modules, quiet zone included. */
  modules: number;
}

/** Draws the cards file's QR symbols (our own SVG: one `M x y h n v1 h-n z` rectangle per dark run) and decodes each with jsQR. */
export function decodeCards(html: string): DecodedCard[] {
  const cards = [...html.matchAll(/<section class="card" data-reference="([^"]+)" data-commitment="(0x[0-9a-f]{64})">(.*?)<\/section>/g)];
  return cards.map(([, reference, commitment, body]) => {
    const svg = /<svg class="qr"[^>]*viewBox="0 0 (\d+) (\d+)"[^>]*>.*?<path fill="#000" d="([^"]*)"\/><\/svg>/.exec(body);
    if (!svg) throw new Error(`card ${reference} has no QR`);
    const modules = Number(svg[1]);
    const scale = 3;
    const size = modules * scale;
    const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
    for (const [, x, y, n] of svg[3].matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < Number(n) * scale; dx++) {
          const p = ((Number(y) * scale + dy) * size + Number(x) * scale + dx) * 4;
          pixels[p] = pixels[p + 1] = pixels[p + 2] = 0;
        }
    }
    const decoded = jsQR(pixels, size, size);
    return { reference, commitment, text: decoded?.data, version: decoded?.version, modules };
  });
}
