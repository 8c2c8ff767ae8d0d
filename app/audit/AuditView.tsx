"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { Address } from "viem";
import { readBalance, readClient, readView } from "@/lib/chain/client";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { testStablecoinAbi } from "@/lib/generated/testStablecoin";
import { heldByToken } from "@/lib/escrow/events";
import { ZERO_ADDRESS } from "@/lib/chain/deployments";
import { useReadChain, useEscrowBooks } from "@/hooks/useChainData";
import { Amount } from "@/components/Amount";
import { AmountCells, DataTable } from "@/components/DataTable";
import { Loading, ProjectName } from "@/components/ProjectBits";

export function AuditView() {
  const t = useTranslations("audit");
  const { chainId, deployment } = useReadChain();
  const client = readClient(chainId);
  const { data, error } = useEscrowBooks();
  const checks = useQuery({
    queryKey: ["audit", chainId, data?.blockNumber.toString()],
    enabled: !!data && !!client && !!deployment,
    queryFn: async () => {
      const blockNumber = data!.blockNumber;
      const escrow = deployment!.escrow;
      const projects = [...data!.books.projects.values()];
      // Views at the same block, batched into one HTTP request by the transport.
      const views = await Promise.all(
        projects.map((p) =>
          readView(client, { address: escrow, abi: aidEscrowAbi, functionName: "projectLedger", args: [p.projectId], blockNumber }),
        ),
      );
      const tokens = [...heldByToken(data!.books).keys()];
      const balances = await Promise.all(
        tokens.map((tk) =>
          tk === ZERO_ADDRESS
            ? readBalance(client, escrow, blockNumber)
            : readView(client, { address: tk as Address, abi: testStablecoinAbi, functionName: "balanceOf", args: [escrow], blockNumber }),
        ),
      );
      return { views, balances: new Map(tokens.map((tk, i) => [tk, balances[i] as bigint])) };
    },
  });
  if (!data) return <Loading error={error} />;
  const projects = [...data.books.projects.values()];
  const held = heldByToken(data.books);
  const allOk =
    checks.data &&
    projects.every((p, i) => {
      const v = checks.data!.views[i];
      return v.raised === p.raised && v.claimed === p.claimed && v.refunded === p.refunded;
    }) &&
    [...held.entries()].every(([tk, h]) => (checks.data!.balances.get(tk) ?? 0n) >= h);
  return (
    <>
      <p className="small muted">
        {t("source", { events: data.books.events.length, requests: data.requests, block: data.blockNumber.toString() })}
      </p>
      {checks.data && (
        <p className={allOk ? "success" : "error"} role="status" data-testid="audit-verdict">
          {allOk ? t("balanced") : t("unbalanced")}
        </p>
      )}
      <section className="card">
        <h2>{t("projects")}</h2>
        <DataTable columns={[t("project"), t("raised"), t("claimed"), t("refunded"), t("held"), t("matchesView")]}>
          {projects.map((p, i) => {
            const v = checks.data?.views[i];
            const ok = v && v.raised === p.raised && v.claimed === p.claimed && v.refunded === p.refunded;
            return (
              <tr key={String(p.projectId)}>
                <td>
                  <ProjectName p={p} />
                </td>
                <AmountCells values={[p.raised, p.claimed, p.refunded, p.held]} token={p.terms.token} />
                <td>{v === undefined ? "…" : <Check ok={!!ok} />}</td>
              </tr>
            );
          })}
        </DataTable>
        <p className="small muted">{t("formula")}</p>
      </section>
      <section className="card">
        <h2>{t("balances")}</h2>
        <DataTable columns={[t("token"), t("booksHeld"), t("escrowBalance"), t("covered")]}>
          {[...held.entries()].map(([tk, h]) => {
            const bal = checks.data?.balances.get(tk);
            return (
              <tr key={tk}>
                <td className="mono">{tk === ZERO_ADDRESS ? "ETH" : tk}</td>
                <td>
                  <Amount value={h} token={tk} />
                </td>
                <td>{bal === undefined ? "…" : <Amount value={bal} token={tk} />}</td>
                <td>{bal === undefined ? "…" : <Check ok={bal >= h} />}</td>
              </tr>
            );
          })}
        </DataTable>
      </section>
    </>
  );
}

function Check({ ok }: { ok: boolean }) {
  const t = useTranslations("audit");
  return ok ? <span className="badge ok">✓ {t("yes")}</span> : <span className="badge bad">✗ {t("no")}</span>;
}
