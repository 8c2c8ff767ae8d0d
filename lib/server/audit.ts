/**
 * The /audit page's reads, on the server: the escrow's books from events (the page's one read,
 * lib/server/escrow.ts) checked by the audit CLI's own code (lib/escrow/audit.ts: conservation, the
 * escrow's balances and its projectLedger view, all at the block the events were read to), so the page
 * and `npm run audit` give the same verdict.
 */
import { readClient } from "../chain/client.ts";
import { auditChain, type AuditResult } from "../escrow/audit.ts";
import { plainEvent } from "../escrow/events.ts";
import { loadEscrow, type EscrowView } from "./escrow.ts";

export interface AuditView {
  view: EscrowView;
  escrow: AuditResult;
}

export async function loadAudit(): Promise<{ ok: true; audit: AuditView } | { ok: false; reason: "noDeployment" | "readFailed" }> {
  const read = await loadEscrow();
  if (!read.ok) return read;
  const { view } = read;
  try {
    const escrow = await auditChain(readClient(view.chainId), {
      escrow: view.deployment.escrow,
      registry: view.deployment.registry,
      fromBlock: view.deployment.deploymentBlock,
      toBlock: Number(view.blockNumber),
      events: view.books.events.map(plainEvent),
    });
    return { ok: true, audit: { view, escrow } };
  } catch {
    return { ok: false, reason: "readFailed" };
  }
}
