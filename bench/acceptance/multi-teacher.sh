#!/usr/bin/env bash
# Acceptance: a multi-teacher completion run with shakespeare-4m and shakespeare-1m as local teachers (one tokenizer),
# best-scored answer per task, the other kept as an alternative, and 0.75/0.25 mixed top-k targets; then the audit and
# the provenance/mixture figures.
# Usage: bench/acceptance/multi-teacher.sh [TARGET=200] [OUT=data/acceptance/multi-teacher]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TARGET="${1:-200}"
OUT="${2:-$REPO_ROOT/data/acceptance/multi-teacher}"
ensure_cli
cd "$REPO_ROOT"
CACHE="$(mktemp -d -t llmd-acc-cache-XXXXXX)"
start=$(date +%s.%N)
llmdistill generate --config bench/acceptance/multi-teacher.json --restart --out "$OUT" \
  --Teachers:CacheDirectory="$CACHE" --Generate:TargetSamples="$TARGET"
end=$(date +%s.%N)
rm -rf "$CACHE"
audit_dataset "$OUT"
echo "chosen teacher per sample:"
cat "$OUT"/samples-*.jsonl | jq -r '.provenance.teacher' | sort | uniq -c
echo "samples whose alternative is the other teacher, with the 0.75/0.25 mixture and <= 8 alternatives per position:"
cat "$OUT"/samples-*.jsonl | jq -r 'select((.alternatives | length) == 1 and .alternatives[0].teacher != .provenance.teacher
  and .provenance.targetMixture == {"t4m": 0.75, "t1m": 0.25} and ([.logprobs[].top | length] | max) <= 8) | .id' | wc -l
awk -v s="$start" -v e="$end" -v n="$TARGET" 'BEGIN { printf "wall: %.1f s for %d samples (%.2f samples/s)\n", e - s, n, n / (e - s) }'
