/**
 * The dApp's first-load JavaScript budgets (issue 10), gzip KB, and the verdict `npm run bench:web` exits
 * on: every public route (readable by anyone, no wallet) within 150 KB, every role route within 200 KB.
 * A bare Next page is about 122 KB; Scaffold-ETH 2's default app loads 566 KB.
 */
export const PUBLIC_BUDGET_KB = 150;
export const ROLE_BUDGET_KB = 200;

/**
 * The role pages (a donor's, an official's, a reviewer's, a manager's, each needing a wallet); every other
 * route is public and held to the public budget, so a page added later gets the stricter budget unless it
 * is listed here on purpose.
 */
export const ROLE_ROUTES: readonly string[] = ["/donor", "/official", "/reviewer", "/manager"];

export interface RouteSize {
  gzipKB: number;
}

export interface RouteVerdict {
  public: boolean;
  budgetKB: number;
  withinBudget: boolean;
}

export function judgeRoute(route: string, size: RouteSize): RouteVerdict {
  const isPublic = !ROLE_ROUTES.includes(route);
  const budgetKB = isPublic ? PUBLIC_BUDGET_KB : ROLE_BUDGET_KB;
  return { public: isPublic, budgetKB, withinBudget: size.gzipKB <= budgetKB };
}

/** The routes over their budget, as "<route> <size> KB > <budget> KB" (empty: the run passes). */
export function overBudget(routes: Record<string, RouteSize & RouteVerdict>): string[] {
  return Object.entries(routes)
    .filter(([, r]) => !r.withinBudget)
    .map(([route, r]) => `${route} ${r.gzipKB} KB > ${r.budgetKB} KB`);
}
