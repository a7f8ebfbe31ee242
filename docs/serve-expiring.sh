#!/usr/bin/env bash
# Makes docs/serve-expiring.png, the README's picture of relint serve: the expiring page
# of the shipped registry, in Italian, as it was on 2017-09-01 (the clock moved with
# relint's test setting), drawn by headless Chromium. Needs chromium and the web extra.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
cp data/registry.db "$work/registry.db"
RELINT_TEST_TODAY=2017-09-01 .venv/bin/relint --db "$work/registry.db" --lang it serve \
    --port 8017 2>/dev/null &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 150); do  # 30 s at most
    curl -sf http://127.0.0.1:8017/-/versions.json >/dev/null && break
    sleep 0.2
done
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 \
    --screenshot="$PWD/docs/serve-expiring.png" \
    "http://127.0.0.1:8017/registry/expiring?days=1y" 2>/dev/null
