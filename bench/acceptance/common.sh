# Shared helpers of the acceptance scripts (sourced, not run). Needs bash, jq and a Release build.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLI_DLL="$REPO_ROOT/src/LLMDistill.Cli/bin/Release/net10.0/llmdistill.dll"

# Builds the CLI when it is missing (a Release build is what the figures are about).
ensure_cli() {
  if [[ ! -f "$CLI_DLL" ]]; then
    dotnet build "$REPO_ROOT/src/LLMDistill.Cli" -c Release -v quiet -nologo >&2
  fi
}

llmdistill() { dotnet "$CLI_DLL" "$@"; }

# Starts `llmdistill serve` on a free port; sets SERVE_PID and SERVE_URL. Args: model dir, then extra serve options.
start_serve() {
  local model="$1"; shift
  SERVE_LOG="$(mktemp -t llmd-serve-XXXXXX.log)"
  local urlfile; urlfile="$(mktemp -t llmd-serve-url-XXXXXX)"
  # dotnet itself, not the llmdistill function: a function in the background runs in a subshell, and its PID is not the server's.
  dotnet "$CLI_DLL" serve --model "$model" --port 0 --device cpu "$@" >"$urlfile" 2>"$SERVE_LOG" &
  SERVE_PID=$!
  for _ in $(seq 1 120); do
    if [[ -s "$urlfile" ]]; then break; fi
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then echo "serve exited early:" >&2; cat "$SERVE_LOG" >&2; return 1; fi
    sleep 0.5
  done
  SERVE_URL="$(head -n 1 "$urlfile")"
  rm -f "$urlfile"
  [[ -n "$SERVE_URL" ]] || { echo "serve printed no URL" >&2; return 1; }
}

# Stops the server started by start_serve (SIGTERM: graceful), prints its requests by path and status, drops its log.
stop_serve() {
  if [[ -n "${SERVE_PID:-}" ]] && kill -0 "$SERVE_PID" 2>/dev/null; then
    kill -TERM "$SERVE_PID" && wait "$SERVE_PID" || true
  fi
  SERVE_PID=""
  if [[ -n "${SERVE_LOG:-}" && -f "$SERVE_LOG" ]]; then
    echo "serve requests: $( (grep -oE '(GET|POST) /[^ ]* [0-9]{3}' "$SERVE_LOG" || true) | sort | uniq -c | awk '{print $2" "$3" "$4": "$1}' | paste -sd';' -)"
    rm -f "$SERVE_LOG"
  fi
}

# Checks that a finished dataset directory adds up; prints one summary line, exits non-zero on a mismatch.
# candidates = kept + rejected; rejected = sum of the reasons = lines of rejected.jsonl, per reason;
# kept = sample lines = sum of the shards; sample ids unique; every sample has provenance and scores.
audit_dataset() {
  local dir="$1" manifest="$1/manifest.json"
  local kept rejected candidates reasons_sum sample_lines shard_sum rejected_lines unique_ids complete
  complete=$(jq -r '.complete' "$manifest")
  kept=$(jq '.counts.kept' "$manifest")
  rejected=$(jq '.counts.rejected' "$manifest")
  candidates=$(jq '.counts.candidates' "$manifest")
  reasons_sum=$(jq '[.rejections[]] | add // 0' "$manifest")
  shard_sum=$(jq '[.shards[].samples] | add // 0' "$manifest")
  sample_lines=$(cat "$dir"/samples-*.jsonl | wc -l)
  rejected_lines=$( (cat "$dir/rejected.jsonl" 2>/dev/null || true) | wc -l)
  unique_ids=$(cat "$dir"/samples-*.jsonl | jq -r '.id' | sort -u | wc -l)
  local by_reason_file by_reason_manifest
  by_reason_file=$( (cat "$dir/rejected.jsonl" 2>/dev/null || true) | jq -r '.reason' | sort | uniq -c | awk '{print $2"="$1}' | sort | paste -sd, -)
  by_reason_manifest=$(jq -r '.rejections | to_entries | map("\(.key)=\(.value)") | sort | join(",")' "$manifest")
  local missing
  missing=$(cat "$dir"/samples-*.jsonl | jq -r 'select((.provenance.teacher // "") == "" or (.provenance.model // "") == "" or .scores.combined == null) | .id' | wc -l)
  local ok=1
  [[ "$complete" == "true" ]] || { echo "audit: manifest not complete" >&2; ok=0; }
  (( candidates == kept + rejected )) || { echo "audit: candidates $candidates != kept $kept + rejected $rejected" >&2; ok=0; }
  (( rejected == reasons_sum )) || { echo "audit: rejected $rejected != sum of reasons $reasons_sum" >&2; ok=0; }
  (( kept == sample_lines && kept == shard_sum )) || { echo "audit: kept $kept, sample lines $sample_lines, shard sum $shard_sum" >&2; ok=0; }
  (( rejected == rejected_lines )) || { echo "audit: rejected $rejected != rejected.jsonl lines $rejected_lines" >&2; ok=0; }
  (( unique_ids == sample_lines )) || { echo "audit: $((sample_lines - unique_ids)) duplicate sample ids" >&2; ok=0; }
  [[ "$by_reason_file" == "$by_reason_manifest" ]] || { echo "audit: reasons in rejected.jsonl ($by_reason_file) != manifest ($by_reason_manifest)" >&2; ok=0; }
  (( missing == 0 )) || { echo "audit: $missing samples without provenance or scores" >&2; ok=0; }
  echo "audit: $dir: complete=$complete candidates=$candidates kept=$kept rejected=$rejected ($by_reason_manifest); ok=$ok"
  (( ok == 1 ))
}
