/**
 * Serving the dApp from the devnet and the browser tests: a production build that is redone only when it
 * would differ (a source file or the baked-in RPC URL changed), then `next start`.
 *
 * NEXT_PUBLIC_RPC_URL is inlined into the browser bundle at build time, so a build is tied to one RPC
 * URL. Each devnet port therefore builds into its own folder (.next for 8545, .next-<port> otherwise;
 * PRECISIONAID_NEXT_DIR, read by next.config.ts), so `npm start` and the browser tests (port 8546) never
 * rebuild because of each other.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../../lib/chain/codegen.ts";
import { checkBundleSecrets } from "../web/check-secrets.ts";

const NEXT_CLI = join(ROOT, "node_modules", "next", "dist", "bin", "next");
/** What a build is made of. lib/generated is included by content: the devnet rewrites it on every start. */
const SOURCES = ["app", "components", "hooks", "i18n", "lib", "messages", "public", "next.config.ts", "proxy.ts", "tsconfig.web.json", "package-lock.json"];

function* filesUnder(path: string): Generator<string> {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const name of readdirSync(path).sort()) yield* filesUnder(join(path, name));
}

/** A hash of every source file and of the settings baked into the bundle. */
function buildKey(env: NodeJS.ProcessEnv): string {
  const hash = createHash("sha256");
  for (const source of SOURCES) {
    for (const file of filesUnder(join(ROOT, source))) {
      hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  for (const [k, v] of Object.entries(env).sort()) if (k.startsWith("NEXT_PUBLIC_")) hash.update(`${k}=${v}\n`);
  return hash.digest("hex");
}

export interface WebBuildOptions {
  /** Folder of the build, relative to the repository (".next" for the devnet). */
  distDir: string;
  /** Environment of the build and the server, with NEXT_PUBLIC_RPC_URL set. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Show next build's output (it takes a minute or two on a fresh clone). */
  verbose?: boolean;
}

/** Builds the dApp unless the build in `distDir` was made from the same sources and settings. */
export function ensureWebBuild(o: WebBuildOptions): "reused" | "built" {
  const env = { ...o.env, PRECISIONAID_NEXT_DIR: o.distDir, NEXT_TELEMETRY_DISABLED: "1" };
  const stamp = join(ROOT, o.distDir, "precisionaid-build-key");
  const key = buildKey(env);
  if (existsSync(join(ROOT, o.distDir, "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === key) {
    return "reused";
  }
  o.log(`building the dApp into ${o.distDir}/ (next build; a minute or two the first time, skipped while nothing changes)`);
  const build = spawnSync(process.execPath, [NEXT_CLI, "build"], {
    cwd: ROOT,
    env,
    stdio: o.verbose ? "inherit" : "pipe",
    encoding: "utf8",
  });
  if (build.status !== 0) {
    throw new Error(`next build failed:\n${`${build.stdout ?? ""}${build.stderr ?? ""}`.slice(-4000)}`);
  }
  // NEXT_PUBLIC_* values are inlined into the bundle: refuse to serve one that carries a key.
  const leaks = checkBundleSecrets(join(ROOT, o.distDir, "static"));
  if (leaks.length) throw new Error(`possible secrets in the browser bundle:\n${leaks.join("\n")}`);
  writeFileSync(stamp, key);
  return "built";
}

/** Starts `next start` on 127.0.0.1:`port` and resolves once it serves. */
export function startWeb(o: WebBuildOptions & { port: number; detached?: boolean }): Promise<ChildProcess> {
  const env = { ...o.env, PRECISIONAID_NEXT_DIR: o.distDir, NEXT_TELEMETRY_DISABLED: "1" };
  const child = spawn(process.execPath, [NEXT_CLI, "start", "-p", String(o.port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    detached: o.detached ?? false,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next start did not become ready in 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d;
      if (/Ready in|started server/i.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`next start exited with ${code}:\n${out}`));
    });
  });
}
