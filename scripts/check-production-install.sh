#!/usr/bin/env bash
# CI: a production install of a fresh copy of the tracked files (`npm ci --omit=dev`, then
# `npm start`, which builds) serves /healthz. Nothing the server needs at run time, the build
# included, may live in devDependencies. Uses the npm cache first (offline-preferring).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d -t chat-prod-XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$dir")
cd "$dir"
npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error
if [ -d node_modules/typescript ] || [ -d node_modules/jest ]; then
  echo "production install has dev dependencies" >&2
  exit 1
fi

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
HOST=127.0.0.1 PORT="$port" DATA_DIR="$dir/data" LOG_LEVEL=warn setsid npm start >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "production install: npm ci --omit=dev && npm start serves /healthz"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
echo "production install did not serve /healthz:" >&2
cat "$dir/server.log" >&2
exit 1
