/**
 * The wallet stack (wagmi) loads after the page, in islands; the read side must not import it. This tiny
 * store is how the two meet: the wallet layer publishes the connected chain and account here, and the
 * read hooks follow the wallet's chain when it is one the dApp is deployed on.
 */
export interface WalletSnapshot {
  chainId?: number;
  address?: `0x${string}`;
}

let snapshot: WalletSnapshot = {};
const listeners = new Set<() => void>();

export const walletBridge = {
  get: () => snapshot,
  subscribe(fn: () => void) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  publish(next: WalletSnapshot) {
    if (next.chainId === snapshot.chainId && next.address === snapshot.address) return;
    snapshot = next;
    listeners.forEach((fn) => fn());
  },
};
