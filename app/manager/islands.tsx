"use client";
/** The manager's page island: loaded after the page (see components/wallet/islands.tsx). */
import dynamic from "next/dynamic";
import { islandPlaceholder } from "@/components/wallet/placeholder";

export const CreateProjectIsland = dynamic(() => import("./CreateProjectForm"), { ssr: false, loading: islandPlaceholder(900) });
