#!/usr/bin/env bash
# Acceptance: a completion-mode generation run against `llmdistill serve` (shakespeare-4m) through an `openai`-kind
# teacher, then an audit of the dataset (manifest adds up, by reason).
# Usage: bench/acceptance/serve-completion.sh [TARGET=2000] [OUT=data/acceptance/serve-completion]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TARGET="${1:-2000}"
OUT="${2:-$REPO_ROOT/data/acceptance/serve-completion}"
ensure_cli
cd "$REPO_ROOT"
export LLMDISTILL_SERVE_API_KEY="${LLMDISTILL_SERVE_API_KEY:-acceptance-$RANDOM$RANDOM}"
start_serve ../shared/models/shakespeare-4m --max-batch-size 64
trap stop_serve EXIT
echo "serve: $SERVE_URL (pid $SERVE_PID)"
CACHE="$(mktemp -d -t llmd-acc-cache-XXXXXX)"
start=$(date +%s.%N)
llmdistill generate --config bench/acceptance/serve-completion.json --restart --out "$OUT" \
  --Teachers:served:Endpoint="$SERVE_URL" --Teachers:CacheDirectory="$CACHE" --Generate:TargetSamples="$TARGET"
end=$(date +%s.%N)
rm -rf "$CACHE"
audit_dataset "$OUT"
jq -r '"usage: " + ([.usage[] | "\(.teacher) \(.requests) requests, \(.promptTokens)+\(.completionTokens) tokens"] | join("; "))' "$OUT/manifest.json"
awk -v s="$start" -v e="$end" -v n="$TARGET" 'BEGIN { printf "wall: %.1f s for %d samples (%.2f samples/s)\n", e - s, n, n / (e - s) }'
