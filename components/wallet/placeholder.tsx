/**
 * What a wallet island shows while its code loads (islands load after the page, see the islands.tsx
 * beside each page): a card of the island's height, so the layout does not shift.
 */
export function islandPlaceholder(minHeight: number) {
  return function Placeholder() {
    return <div className="card" style={{ minHeight }} aria-busy="true" />;
  };
}
