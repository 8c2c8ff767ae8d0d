/**
 * An EIP-1193 wallet for the browser tests, injected with page.addInitScript: it forwards JSON-RPC to
 * the local node's unlocked accounts and announces itself through EIP-6963, so the dApp's real
 * injected() connector path is exercised. Like a real wallet it answers eth_accounts with [] until the
 * page asks (eth_requestAccounts), so wagmi does not silently reconnect on load.
 */
import type { Page } from "@playwright/test";
import { E2E_RPC_URL } from "./env.ts";

/** Hardhat's default accounts (public dev keys), by the roles demo/scenario.json gives them. */
export const ACCOUNTS = {
  admin: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  manager: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  cadreLiu: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  officerYang: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  bankerWu: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  reviewer: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  countyFund: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  ngoSpring: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
  hhWang: "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  hhZhang: "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
  hhChen: "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
  hhLong: "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097",
  hhPan: "0xcd3B766CCDd6AE721141F452C550Ca635964ce71",
  hhTang: "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
  teacherZhao: "0xdD2FD4581271e230360230F9337D5c0430Bf44C0",
  villagerHe: "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199",
} as const;

interface WalletOptions {
  account: string;
  chainId?: number;
  rpcUrl?: string;
  /** Refuse every signature and transaction, as a user pressing "Reject" would (EIP-1193 code 4001). */
  reject?: boolean;
}

function walletScript(cfg: Required<WalletOptions>) {
  let chainId = "0x" + cfg.chainId.toString(16);
  let authorized = false;
  let seq = 0;
  const listeners: Record<string, ((...a: unknown[]) => void)[]> = {};
  const emit = (ev: string, ...a: unknown[]) => (listeners[ev] ?? []).forEach((f) => f(...a));
  const rpc = async (method: string, params: unknown[]) => {
    const res = await fetch(cfg.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++seq, method, params }),
    });
    const body = await res.json();
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };
  const provider = {
    async request({ method, params = [] }: { method: string; params?: any[] }) {
      switch (method) {
        case "eth_chainId":
          return chainId;
        case "net_version":
          return String(parseInt(chainId, 16));
        case "eth_accounts":
          return authorized ? [cfg.account] : [];
        case "eth_requestAccounts":
        case "wallet_requestPermissions":
          authorized = true;
          emit("accountsChanged", [cfg.account]);
          return method === "eth_requestAccounts" ? [cfg.account] : [{ parentCapability: "eth_accounts" }];
        case "wallet_getPermissions":
          return authorized ? [{ parentCapability: "eth_accounts" }] : [];
        case "wallet_revokePermissions":
          authorized = false;
          return null;
        case "wallet_switchEthereumChain":
          chainId = params[0].chainId;
          emit("chainChanged", chainId);
          return null;
        case "eth_sendTransaction":
          if (cfg.reject) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          return rpc(method, [{ ...params[0], from: cfg.account }]);
        case "eth_signTypedData_v4":
          if (cfg.reject) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
          return rpc(method, params);
        default:
          return rpc(method, params);
      }
    },
    on(ev: string, fn: (...a: unknown[]) => void) {
      (listeners[ev] ??= []).push(fn);
      return provider;
    },
    removeListener(ev: string, fn: (...a: unknown[]) => void) {
      listeners[ev] = (listeners[ev] ?? []).filter((f) => f !== fn);
      return provider;
    },
  };
  const info = {
    uuid: "6f0e2e2e-0000-4000-8000-000000000001",
    name: "E2E Wallet",
    rdns: "dev.precisionaid.e2e",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='24' height='24'%3E%3Crect width='24' height='24' fill='%23198754'/%3E%3C/svg%3E",
  };
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

export async function injectWallet(page: Page, o: WalletOptions) {
  await page.addInitScript(walletScript, { account: o.account, chainId: o.chainId ?? 31337, rpcUrl: o.rpcUrl ?? E2E_RPC_URL, reject: o.reject ?? false });
}

/** Opens the connect dialog and picks the injected E2E wallet. */
export async function connect(page: Page) {
  await page.getByRole("button", { name: /connect wallet|连接钱包/i }).click();
  await page.getByRole("button", { name: "E2E Wallet" }).click();
  await page.getByTestId("connected-account").waitFor();
}

/** Direct JSON-RPC to the test node (time travel). */
export async function nodeRpc(method: string, params: unknown[] = []) {
  const res = await fetch(E2E_RPC_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

export async function advanceDays(days: number) {
  await nodeRpc("evm_increaseTime", [days * 86400]);
  await nodeRpc("evm_mine");
}

/** A transaction from one of the node's unlocked accounts (the seed's officials, reviewer, manager), mined and checked. */
export async function sendAs(from: string, to: string, data: `0x${string}`, value?: bigint) {
  const hash = await nodeRpc("eth_sendTransaction", [{ from, to, data, ...(value !== undefined && { value: `0x${value.toString(16)}` }) }]);
  for (let i = 0; i < 100; i++) {
    const receipt = await nodeRpc("eth_getTransactionReceipt", [hash]);
    if (receipt) {
      if (receipt.status !== "0x1") throw new Error(`transaction ${hash} from ${from} reverted`);
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`transaction ${hash} was not mined`);
}

/** The chain's time (the demo chain runs ahead of the clock). */
export async function chainNow(): Promise<number> {
  return Number(BigInt((await nodeRpc("eth_getBlockByNumber", ["latest", false])).timestamp));
}
