/**
 * The books of every project rebuilt from events alone and checked, on the server, by the audit CLI's own
 * checks (lib/server/audit.ts): conservation per project, the escrow's projectLedger view, and its balance
 * of each token, all at one block.
 */
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { loadAudit } from "@/lib/server/audit";
import { tokenOf } from "@/lib/server/escrow";
import { AmountCells, DataTable } from "@/components/DataTable";
import { TokenAmount } from "@/components/TokenAmount";
import { ProjectName } from "@/components/ProjectBits";
import { localMetadata, shortHex } from "@/lib/format/text";

export const dynamic = "force-dynamic";

export default async function AuditPage() {
  const t = await getTranslations("audit");
  const tc = await getTranslations("common");
  const tr = await getTranslations("roster");
  const locale = await getLocale();
  const read = await loadAudit();
  const Check = ({ ok }: { ok: boolean }) => (ok ? <span className="badge ok">✓ {t("yes")}</span> : <span className="badge bad">✗ {t("no")}</span>);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {!read.ok ? (
        <p className="error" role="alert">
          {tc("loadFailed")}
        </p>
      ) : (
        (() => {
          const { view, escrow, rosters, tokens, balanced } = read.audit;
          const projects = [...view.books.projects.values()];
          const checkOf = (id: bigint) => escrow.projectChecks.find((c) => c.projectId === String(id));
          const allOk = balanced;
          const token = (address: string) => tokenOf({ tokens }, address);
          return (
            <>
              <p className="small muted">{t("source", { events: view.books.events.length, requests: view.requests, block: view.blockNumber.toString() })}</p>
              <p className={allOk ? "success" : "error"} role="status" data-testid="audit-verdict">
                {allOk ? t("balanced") : t("unbalanced")}
              </p>
              <section className="card">
                <h2>{t("projects")}</h2>
                <DataTable columns={[t("project"), t("raised"), t("claimed"), t("refunded"), t("held"), t("matchesView")]}>
                  {projects.map((p) => {
                    const c = checkOf(p.projectId);
                    return (
                      <tr key={String(p.projectId)}>
                        <td>
                          <ProjectName p={p} />
                        </td>
                        <AmountCells values={[p.raised, p.claimed, p.refunded, p.held]} token={token(p.terms.token)} />
                        <td>
                          <Check ok={!!c && c.conserved && c.matchesView} />
                        </td>
                      </tr>
                    );
                  })}
                </DataTable>
                <p className="small muted">{t("formula")}</p>
              </section>
              {rosters && (
                <section className="card" data-testid="audit-rosters">
                  <h2>{t("rosters")}</h2>
                  <DataTable columns={[t("programme"), t("raised"), t("claimed"), t("refunded"), t("held"), t("matchesBalance")]}>
                    {rosters.books.programmes.map((p) => (
                      <tr key={p.programme} data-testid={`audit-roster-${p.id}`}>
                        <td>
                          <Link href={`/roster/${p.programme}`}>{localMetadata(p.metadataURI, locale)?.title ?? tr("untitled", { address: shortHex(p.programme) })}</Link>
                        </td>
                        <AmountCells values={[p.raised, p.claimed, p.refunded, p.held]} token={token(p.token)} />
                        <td>
                          <Check ok={p.verdict === "balanced"} />
                        </td>
                      </tr>
                    ))}
                  </DataTable>
                  <p className="small muted">{t("rosterFormula")}</p>
                </section>
              )}
              <section className="card">
                <h2>{t("balances")}</h2>
                <DataTable columns={[t("token"), t("booksHeld"), t("escrowBalance"), t("covered")]}>
                  {escrow.tokens
                    .filter((tk) => BigInt(tk.held) > 0n || BigInt(tk.balance) > 0n || projects.some((p) => p.terms.token.toLowerCase() === tk.token.toLowerCase()))
                    .map((tk) => {
                      const info = token(tk.token);
                      return (
                        <tr key={tk.token}>
                          <td data-testid="audit-token">{info?.symbol ?? tk.token}</td>
                          <td>
                            <TokenAmount value={BigInt(tk.held)} token={info} />
                          </td>
                          <td>
                            <TokenAmount value={BigInt(tk.balance)} token={info} />
                          </td>
                          <td>
                            <Check ok={tk.ok} />
                          </td>
                        </tr>
                      );
                    })}
                </DataTable>
              </section>
            </>
          );
        })()
      )}
    </>
  );
}
