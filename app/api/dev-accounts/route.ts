/**
 * The dev accounts of the local devnet by role, for the connect dialog. Local only: it answers with an
 * empty list unless the local chain is configured and scripts/devnet.ts wrote its .devnet/ state file.
 * Only addresses, roles and labels leave the server (the keys are Hardhat's public dev keys anyway,
 * and the dev connector never needs them: the node signs with its unlocked accounts).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

export async function GET() {
  if (process.env.NEXT_PUBLIC_DISABLE_LOCAL === "1") return NextResponse.json({ accounts: [] });
  try {
    // The devnet names its state file after its port (state.json on 8545, state-<port>.json elsewhere):
    // read the one of the chain this dApp was built for.
    const port = new URL(process.env.NEXT_PUBLIC_RPC_URL ?? "http://127.0.0.1:8545").port || "80";
    const file = port === "8545" ? "state.json" : `state-${port}.json`;
    const state = JSON.parse(await readFile(join(process.cwd(), ".devnet", file), "utf8"));
    const accounts = (state.accounts ?? []).map((a: { index: number; address: string; role: string; label: string }) => ({
      index: a.index,
      address: a.address,
      role: a.role,
      label: a.label,
    }));
    return NextResponse.json({ chainId: state.chainId, accounts });
  } catch {
    return NextResponse.json({ accounts: [] });
  }
}
