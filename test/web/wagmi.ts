import { expect } from "chai";
import { hardhat, sepolia } from "viem/chains";

/** Instantiates connector factories the way createConfig does, without running their setup(). */
function instantiate(fns: ReturnType<typeof import("../../lib/wallet/wagmi.ts").connectorFns>, chains: readonly unknown[]) {
  const emitter = { uid: "test", on() {}, once() {}, off() {}, emit() {}, listenerCount: () => 0 };
  return fns.map((fn) => fn({ chains, emitter, storage: null, transports: {} } as never) as { id: string; type: string; name: string });
}

describe("wagmi connectors", function () {
  let wagmi: typeof import("../../lib/wallet/wagmi.ts");
  const saved = process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;
  before(async function () {
    wagmi = await import("../../lib/wallet/wagmi.ts");
  });
  after(function () {
    if (saved === undefined) delete process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;
    else process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID = saved;
  });

  describe("when no WalletConnect project id is configured", function () {
    it("offers injected wallets and, on the local chain only, the dev accounts: no WalletConnect", function () {
      delete process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;
      expect(wagmi.walletConnectProjectId()).to.equal(undefined);
      expect(instantiate(wagmi.connectorFns([hardhat]), [hardhat]).map((c) => c.type)).to.deep.equal(["injected", "devAccounts"]);
      expect(instantiate(wagmi.connectorFns([sepolia]), [sepolia]).map((c) => c.type)).to.deep.equal(["injected"]);
    });
    it("treats a blank id as none", function () {
      process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID = "   ";
      expect(wagmi.walletConnectProjectId()).to.equal(undefined);
      expect(instantiate(wagmi.connectorFns([sepolia]), [sepolia]).map((c) => c.type)).to.not.include("walletConnect");
    });
  });

  describe("when a project id is configured", function () {
    it("adds WalletConnect, exactly once, after the others", function () {
      process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID = " 0123456789abcdef0123456789abcdef ";
      expect(wagmi.walletConnectProjectId()).to.equal("0123456789abcdef0123456789abcdef");
      const local = instantiate(wagmi.connectorFns([hardhat]), [hardhat]);
      expect(local.map((c) => c.type)).to.deep.equal(["injected", "devAccounts", "walletConnect"]);
      expect(local[2]).to.include({ id: "walletConnect", name: "WalletConnect" });
      expect(instantiate(wagmi.connectorFns([sepolia]), [sepolia]).map((c) => c.type)).to.deep.equal(["injected", "walletConnect"]);
    });
    it("an id passed explicitly is used as given", function () {
      delete process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;
      expect(instantiate(wagmi.connectorFns([sepolia], "abc"), [sepolia]).map((c) => c.type)).to.deep.equal(["injected", "walletConnect"]);
    });
  });
});

describe("the WalletConnect connector", function () {
  const chains = [sepolia];
  const emitter = { uid: "test", on() {}, once() {}, off() {}, emit() {}, listenerCount: () => 0 };
  const storage = (recent: string | null) => ({ getItem: async (k: string) => (k === "recentConnectorId" ? recent : null), setItem: async () => {}, removeItem: async () => {} });

  it("loads no provider (no chunk, no relay socket) for a visitor who never chose it", async function () {
    const { lazyWalletConnect } = await import("../../lib/wallet/wagmi.ts");
    const c = lazyWalletConnect("abc")({ chains, emitter, storage: storage("injected"), transports: {} } as never);
    expect(c.type).to.equal("walletConnect");
    await c.setup?.();
    expect(await c.getProvider()).to.equal(undefined);
    expect(await c.isAuthorized()).to.equal(false);
  });
});
