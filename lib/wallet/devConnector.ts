/**
 * The local-only "dev accounts" connector: signs through the Hardhat node's unlocked accounts by
 * forwarding eth_sendTransaction / eth_signTypedData_v4 to it over JSON-RPC, so the demo needs no browser
 * extension. It only ever exists in the config when the local chain (31337) is configured, and it refuses
 * every other chain: the connect dialog offers it only while the app is on 31337.
 */
import { createConnector } from "wagmi";
import { getAddress, numberToHex, type Address, type EIP1193RequestFn } from "viem";
import { LOCAL_CHAIN_ID } from "../chain/deployments.ts";

const STORAGE_KEY = "precisionaid.devAccount";
let chosen: Address | undefined;

/** Selects which unlocked account the next connect() uses (the dialog calls this first). */
export function chooseDevAccount(account: Address) {
  chosen = getAddress(account);
  try {
    localStorage.setItem(STORAGE_KEY, chosen);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

function remembered(): Address | undefined {
  if (chosen) return chosen;
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v ? getAddress(v) : undefined;
  } catch {
    return undefined;
  }
}

export const DEV_CONNECTOR_ID = "precisionaid-dev";

export function devAccounts({ rpcUrl }: { rpcUrl: string }) {
  let connected = false;
  let id = 0;
  const rpc = async (method: string, params: unknown[] = []) => {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = await res.json();
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };

  return createConnector((config) => {
    const request = (async ({ method, params }: { method: string; params?: unknown[] }) => {
      const account = remembered();
      switch (method) {
        case "eth_chainId":
          return numberToHex(LOCAL_CHAIN_ID);
        case "eth_accounts":
        case "eth_requestAccounts":
          return connected && account ? [account] : method === "eth_requestAccounts" && account ? [account] : [];
        case "wallet_switchEthereumChain": {
          const target = Number((params?.[0] as { chainId: string }).chainId);
          if (target !== LOCAL_CHAIN_ID) throw Object.assign(new Error("Dev accounts exist only on the local chain."), { code: 4902 });
          return null;
        }
        case "eth_sendTransaction": {
          const tx = { ...(params?.[0] as Record<string, unknown>), from: account };
          return rpc("eth_sendTransaction", [tx]);
        }
        default:
          return rpc(method, params ?? []);
      }
    }) as unknown as EIP1193RequestFn;
    const provider = { request, on() {}, removeListener() {} };

    return {
      id: DEV_CONNECTOR_ID,
      name: "Dev accounts",
      type: "devAccounts",
      async setup() {},
      async connect(parameters?: { chainId?: number; isReconnecting?: boolean; withCapabilities?: boolean }) {
        const account = remembered();
        if (!account) throw new Error("No dev account chosen.");
        if (parameters?.chainId && parameters.chainId !== LOCAL_CHAIN_ID) throw new Error("Dev accounts exist only on the local chain.");
        connected = true;
        const accounts = parameters?.withCapabilities ? [{ address: account, capabilities: {} }] : [account];
        return { accounts, chainId: LOCAL_CHAIN_ID } as never;
      },
      async disconnect() {
        connected = false;
        chosen = undefined;
        try {
          localStorage.removeItem(STORAGE_KEY);
        } catch {
          /* ignore */
        }
      },
      async getAccounts() {
        const account = remembered();
        return connected && account ? [account] : [];
      },
      async getChainId() {
        return LOCAL_CHAIN_ID;
      },
      async getProvider() {
        return provider;
      },
      async isAuthorized() {
        // Reconnect after a reload when an account was chosen before and the chain is still there.
        const account = remembered();
        if (!account) return false;
        try {
          const accounts: string[] = await rpc("eth_accounts");
          const ok = accounts.some((a) => a.toLowerCase() === account.toLowerCase());
          connected = ok;
          return ok;
        } catch {
          return false;
        }
      },
      async switchChain({ chainId }: { chainId: number }) {
        const chain = config.chains.find((c) => c.id === chainId);
        if (!chain || chainId !== LOCAL_CHAIN_ID) throw new Error("Dev accounts exist only on the local chain.");
        return chain;
      },
      onAccountsChanged() {},
      onChainChanged() {},
      onDisconnect() {
        config.emitter.emit("disconnect");
        connected = false;
      },
    };
  });
}
