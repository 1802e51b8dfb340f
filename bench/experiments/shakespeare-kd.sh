#!/usr/bin/env bash
# Distils ../shared/models/shakespeare-4m (3.4 M params, 4x256) into a 2x128 student (0.66 M params) on CPU on
# TinyShakespeare, once per objective at equal steps, and prints the held-out KL(teacher || student) at the start and
# the end of each run (the held-out split is the last 10% of the text, which the teacher never trained on).
#   bench/experiments/shakespeare-kd.sh [STEPS] [OUT]        (default 300 steps, runs/kd-experiment)
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-300}
out=${2:-runs/kd-experiment}
dotnet build src/LLMDistill.Cli -c Release -v quiet -nologo >/dev/null
cli=src/LLMDistill.Cli/bin/Release/net10.0/llmdistill.dll

common=(--Train:Teacher=../shared/models/shakespeare-4m --Train:Targets=Local --Train:Device=cpu
        --Train:Data:Path=../shared/data/tinyshakespeare.txt --Train:Data:EvalFraction=0.1
        --Train:Steps="$steps" --Train:BatchSize=8 --Train:SequenceLength=128 --Train:Seed=1234
        --Train:Student:Layers=2 --Train:Student:HiddenSize=128 --Train:Student:Heads=4 --Train:Student:KeyValueHeads=2
        --Train:LearningRate:LearningRate=0.003 --Train:LearningRate:MinLearningRate=0.0003 --Train:LearningRate:WarmupSteps=20
        --Train:LogEvery=25 --Train:EvalEvery=$((steps / 4)) --Train:EvalRows=48 --Train:CheckpointEvery=0)

declare -A variants=(
  [ce-on-text]="--Train:Loss:CrossEntropy=1 --Train:Loss:ForwardKl=0"
  [forward-kl]="--Train:Loss:ForwardKl=1"
  [reverse-kl]="--Train:Loss:ForwardKl=0 --Train:Loss:ReverseKl=1"
  [jsd-0.5]="--Train:Loss:ForwardKl=0 --Train:Loss:Jsd=1 --Train:Loss:Beta=0.5"
  [hinton-a0.5-t2]="--Train:Loss:ForwardKl=1 --Train:Loss:Alpha:Start=0.5 --Train:Loss:Temperature:Start=2"
)
for name in ce-on-text forward-kl reverse-kl jsd-0.5 hinton-a0.5-t2; do
  echo "== $name" >&2
  # shellcheck disable=SC2086
  dotnet "$cli" train "${common[@]}" --Train:OutputDirectory="$out/$name" ${variants[$name]} | grep -E '^(eval|student)' >&2
done

python3 - "$out" "$steps" <<'PY'
import json, sys, os
out, steps = sys.argv[1], sys.argv[2]
print(f"| objective ({steps} steps) | held-out KL start | held-out KL end | held-out CE end (nats/token) | wall s (incl. evals) |")
print("|---|---|---|---|---|")
for name in ["ce-on-text", "forward-kl", "reverse-kl", "jsd-0.5", "hinton-a0.5-t2"]:
    rows = [json.loads(l) for l in open(os.path.join(out, name, "metrics.jsonl")) if l.strip()]
    ev = [r for r in rows if r["split"] == "eval"]
    print(f"| {name} | {ev[0]['parts']['kl']:.4f} | {ev[-1]['parts']['kl']:.4f} | {ev[-1]['parts']['ce']:.4f} | {ev[-1]['elapsed_seconds']:.0f} |")
PY
