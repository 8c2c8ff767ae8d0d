"use client";
/**
 * Donors -> project -> households / refunds / still held, as a Sankey diagram (recharts). Loaded lazily
 * by the project page (an island: app/projects/[id]/islands.tsx), with the figures the server read
 * (fundFlow, lib/books/escrow.ts). The page renders a table with the same figures (FundFlowTable) for
 * screen readers, small screens and before this loads.
 */
import { Sankey, Tooltip, ResponsiveContainer } from "recharts";
import { useTranslations } from "next-intl";
import type { FundFlow } from "@/lib/books/escrow";
import type { TokenInfo } from "@/lib/chain/tokens";
import { pseudonym, shortHex } from "@/lib/format/text";

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

export default function FundFlowChart({ p, token }: { p: FundFlow; token: TokenInfo | undefined }) {
  const t = useTranslations("flow");
  const decimals = token?.decimals ?? 18;
  // Sankey needs numbers; scale to the token's display unit (precision loss only affects drawing).
  const num = (v: bigint) => Number(v) / 10 ** decimals;
  const nodes: { name: string }[] = [];
  const links: { source: number; target: number; value: number }[] = [];
  for (const d of p.donors) nodes.push({ name: t("donor", { who: shortHex(d.account) }) });
  const project = nodes.push({ name: t("project", { id: p.projectId }) }) - 1;
  p.donors.forEach((d, i) => links.push({ source: i, target: project, value: num(d.donated) }));
  for (const b of p.households) links.push({ source: project, target: nodes.push({ name: t("household", { name: pseudonym(b.commitment) }) }) - 1, value: num(b.claimed) });
  if (p.refunded > 0n) links.push({ source: project, target: nodes.push({ name: t("refunds") }) - 1, value: num(p.refunded) });
  if (p.held > 0n) links.push({ source: project, target: nodes.push({ name: t("held") }) - 1, value: num(p.held) });
  if (links.length === 0) return <p className="muted">{t("empty")}</p>;
  return (
    <div className="chart" role="img" aria-label={t("aria")}>
      <ResponsiveContainer width="100%" height="100%">
        <Sankey data={{ nodes, links }} nodePadding={24} margin={{ left: 8, right: 110, top: 8, bottom: 8 }} link={{ stroke: "#8fd19e" }} node={<FlowNode />}>
          <Tooltip />
        </Sankey>
      </ResponsiveContainer>
    </div>
  );
}
