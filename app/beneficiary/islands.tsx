"use client";
/** The household page's wallet island (claims, signed claims): loaded after the page (see components/wallet/islands.tsx). */
import dynamic from "next/dynamic";

export const EnrolmentActionsIsland = dynamic(() => import("./EnrolmentActions"), { ssr: false });
