"use client";
/**
 * Donors -> project -> households / refunds / still held, as a Sankey diagram (recharts). Loaded lazily
 * by the project page. A table with the same figures follows for screen readers and small screens.
 */
import { Sankey, Tooltip, ResponsiveContainer } from "recharts";
import { useLocale, useTranslations } from "next-intl";
import type { ProjectBook } from "@/lib/escrow/events";
import { formatAmount } from "@/lib/format/amount";
import { pseudonym, shortHex } from "@/lib/format/text";
import { useTokenInfo } from "@/hooks/useChainData";

function FlowNode(props: { x?: number; y?: number; width?: number; height?: number; payload?: { name: string } }) {
  const { x = 0, y = 0, width = 0, height = 0, payload } = props;
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill="#198754" />
      <text x={x + width + 4} y={y + height / 2} dy="0.35em" fontSize={11} fill="#1b1f1d">
        {payload?.name}
      </text>
    </g>
  );
}

export default function FundFlowChart({ p }: { p: ProjectBook }) {
  const t = useTranslations("flow");
  const locale = useLocale();
  const { symbol, decimals } = useTokenInfo(p.terms.token) ?? { symbol: "…", decimals: 18 };
  // Sankey needs numbers; scale to the token's display unit (precision loss only affects drawing).
  const num = (v: bigint) => Number(v) / 10 ** decimals;
  const nodes: { name: string }[] = [];
  const links: { source: number; target: number; value: number }[] = [];
  const donors = [...p.donors.entries()].filter(([, d]) => d.donated > 0n);
  for (const [addr] of donors) nodes.push({ name: t("donor", { who: shortHex(addr) }) });
  const project = nodes.push({ name: t("project", { id: String(p.projectId) }) }) - 1;
  donors.forEach(([, d], i) => links.push({ source: i, target: project, value: num(d.donated) }));
  for (const b of p.households.values()) {
    if (b.claimed > 0n) links.push({ source: project, target: nodes.push({ name: t("household", { name: pseudonym(b.commitment) }) }) - 1, value: num(b.claimed) });
  }
  if (p.refunded > 0n) links.push({ source: project, target: nodes.push({ name: t("refunds") }) - 1, value: num(p.refunded) });
  if (p.held > 0n) links.push({ source: project, target: nodes.push({ name: t("held") }) - 1, value: num(p.held) });
  const fmt = (v: bigint) => `${formatAmount(v, decimals, locale)} ${symbol}`;
  return (
    <div>
      {links.length > 0 ? (
        <div className="chart" role="img" aria-label={t("aria")}>
          <ResponsiveContainer width="100%" height="100%">
            <Sankey data={{ nodes, links }} nodePadding={24} margin={{ left: 8, right: 110, top: 8, bottom: 8 }} link={{ stroke: "#8fd19e" }} node={<FlowNode />}>
              <Tooltip />
            </Sankey>
          </ResponsiveContainer>
        </div>
      ) : (
        <p className="muted">{t("empty")}</p>
      )}
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{t("caption")}</caption>
          <tbody>
            <tr>
              <th scope="row">{t("in")}</th>
              <td>{fmt(p.raised)}</td>
            </tr>
            <tr>
              <th scope="row">{t("toHouseholds")}</th>
              <td>{fmt(p.claimed)}</td>
            </tr>
            <tr>
              <th scope="row">{t("refunds")}</th>
              <td>{fmt(p.refunded)}</td>
            </tr>
            <tr>
              <th scope="row">{t("held")}</th>
              <td>{fmt(p.held)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
