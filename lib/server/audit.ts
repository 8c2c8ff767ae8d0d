/**
 * The /audit page's reads, on the server: the escrow's books from events (the page's one read,
 * lib/server/escrow.ts) checked by the audit CLI's own code (lib/escrow/audit.ts: conservation, the
 * escrow's balances and its projectLedger view, all at the block the events were read to), and the roster
 * programmes audited at the same block by the CLI's roster code (lib/roster/audit-chain.ts: conservation
 * against each programme's balance, its ledger() view, the factory's programme count), so the page and
 * `npm run audit` give the same verdict. Leaf membership (the published roster files) is the CLI's.
 */
import { readClient } from "../chain/client.ts";
import { readTokenInfos, type TokenInfo } from "../chain/tokens.ts";
import { auditChain, type AuditResult } from "../escrow/audit.ts";
import { plainEvent } from "../escrow/events.ts";
import { auditRosterChain, type RosterAudit } from "../roster/audit-chain.ts";
import { loadEscrow, type EscrowView } from "./escrow.ts";

export interface AuditView {
  view: EscrowView;
  escrow: AuditResult;
  /** Undefined when the deployment has no roster factory. */
  rosters?: RosterAudit;
  /** Symbol and decimals of every token the escrow and the programmes hold, by lower-case address (ETH included). */
  tokens: Record<string, TokenInfo>;
  /** The escrow and every roster programme balance. */
  balanced: boolean;
}

export async function loadAudit(): Promise<{ ok: true; audit: AuditView } | { ok: false; reason: "noDeployment" | "readFailed" }> {
  const read = await loadEscrow();
  if (!read.ok) return read;
  const { view } = read;
  try {
    const client = readClient(view.chainId);
    const toBlock = Number(view.blockNumber);
    const escrow = await auditChain(client, {
      escrow: view.deployment.escrow,
      registry: view.deployment.registry,
      fromBlock: view.deployment.deploymentBlock,
      toBlock,
      events: view.books.events.map(plainEvent),
    });
    const factory = view.deployment.rosterFactory;
    const rosters = factory
      ? await auditRosterChain(client, { factory, fromBlock: view.deployment.rosterFactoryBlock ?? view.deployment.deploymentBlock, toBlock })
      : undefined;
    const more = await readTokenInfos(client, view.chainId, [...escrow.tokens.map((t) => t.token), ...(rosters?.books.programmes.map((p) => p.token) ?? [])]);
    const tokens = { ...view.tokens, ...more };
    const balanced = escrow.balanced && escrow.critical === 0 && (!rosters || rosters.books.verdict === "balanced");
    return { ok: true, audit: { view, escrow, rosters, tokens, balanced } };
  } catch {
    return { ok: false, reason: "readFailed" };
  }
}
