"use client";
/**
 * The browser's one query cache (react-query), shared by every wallet island of a page (WalletRoot wraps
 * its content in it) and by a client page that reads in the browser. Not in the root layout: pages read
 * on the server, so a page without islands loads none of it.
 */
import type { ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

let browserQueryClient: QueryClient | undefined;

function queryClient(): QueryClient {
  const make = () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } });
  if (typeof window === "undefined") return make();
  return (browserQueryClient ??= make());
}

export function QueryRoot({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient()}>{children}</QueryClientProvider>;
}
