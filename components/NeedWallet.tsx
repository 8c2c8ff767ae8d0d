"use client";
import { useTranslations } from "next-intl";
import { useActiveChain } from "@/hooks/useWallet";

export function NeedWallet() {
  const t = useTranslations("common");
  const { isConnected } = useActiveChain();
  if (isConnected) return null;
  return <p className="notice">{t("connectToAct")}</p>;
}
