/**
 * The import rules of the house (docs/ARCHITECTURE.md, "Imports run one way"), checked by
 * dependency-cruiser as a step of `npm test` (scripts/test-all.ts); test/architecture/imports.ts proves
 * that a violation fails the check.
 *
 *   app/ -> components/ -> hooks/ -> lib/;  scripts/ -> lib/;  lib/ never imports scripts/, app/,
 *   components/ or hooks/;  one client library (viem) outside the Hardhat tests and Hardhat-run benches.
 */
const { existsSync } = require("node:fs");

const ETHERS = "(^|node_modules/)ethers(/|$)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "lib-imports-upward",
      comment: "lib/ is the library everything else builds on: it never imports app/, components/, hooks/ or scripts/.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components|hooks|scripts)/" },
    },
    {
      name: "hooks-import-upward",
      comment: "hooks/ build on lib/ only: never on components/ or app/.",
      severity: "error",
      from: { path: "^hooks/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-import-app",
      comment: "components/ never import a route file: a page's own islands live beside the page (app/<route>/islands.tsx).",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "scripts-import-the-dapp",
      comment: "scripts/ (CLIs, devnet, benches) build on lib/, never on the dApp's app/, components/ or hooks/.",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^(app|components|hooks)/" },
    },
    {
      name: "one-client-library",
      comment: "viem is the client library outside the Hardhat tests and the benches run by `hardhat run` (scripts/bench/*gas*).",
      severity: "error",
      from: { path: "^(lib|app|components|hooks|scripts|proxy\\.ts)", pathNot: "^scripts/bench/[^/]*gas[^/]*\\.ts$" },
      to: { path: ETHERS },
    },
    {
      name: "books-are-pure",
      comment: "lib/books/ folds plain events: no client library at run time (public pages bundle it).",
      severity: "error",
      from: { path: "^lib/books/" },
      to: { path: "(^|node_modules/)(viem|ethers)(/|$)", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "wallet-is-browser-only",
      comment: "lib/wallet/ (wagmi) is for the dApp's islands: no Node-only code and no CLI imports it.",
      severity: "error",
      from: { path: "^(scripts|lib/(?!wallet/))" },
      to: { path: "^lib/wallet/" },
    },
    {
      name: "server-is-node-only",
      comment: "lib/server/ holds Node-only route logic: only app/ (route handlers, server components) imports it.",
      severity: "error",
      from: { path: "^(components|hooks|lib/(?!server/))" },
      to: { path: "^lib/server/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|\\.tools|artifacts|cache|types|coverage)" },
    tsPreCompilationDeps: true,
    ...(existsSync("tsconfig.json") ? { tsConfig: { fileName: "tsconfig.json" } } : {}),
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
