#!/usr/bin/env bash
# The distillation-step benchmark, TorchSharp vs PyTorch eager, in one invocation, with their ratio.
#
# On the accelerator machine (../shared/gpu/README.md): first, here,
#   ../shared/gpu/bundle.sh bench/LLMDistill.Bench/LLMDistill.Bench.csproj
# then run with carry [".gpu"]:
#   bash bench/gpu/run_distill_step.sh            (writes $OUT/torchsharp.json, $OUT/pytorch.json when $OUT is set)
# On a CPU-only machine, to check that both programs work (tiny sizes, no meaningful ratio):
#   bash bench/gpu/run_distill_step.sh --tiny
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-$(mktemp -d)}"
if [ "${1:-}" = "--tiny" ]; then
  dotnet build bench/LLMDistill.Bench -c Release -v quiet -nologo >/dev/null
  dotnet bench/LLMDistill.Bench/bin/Release/net10.0/LLMDistill.Bench.dll distill-step --tiny true --json "$out/torchsharp.json"
  python3 bench/gpu/distill_step.py --tiny --json "$out/pytorch.json"
else
  [ -x .gpu/run.sh ] || { echo "no .gpu bundle: run ../shared/gpu/bundle.sh bench/LLMDistill.Bench/LLMDistill.Bench.csproj first" >&2; exit 1; }
  python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else "CUDA is not available")'
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  bash .gpu/run.sh LLMDistill.Bench.dll distill-step --device cuda --json "$out/torchsharp.json"
  python3 bench/gpu/distill_step.py --device cuda --json "$out/pytorch.json"
fi
python3 - "$out/torchsharp.json" "$out/pytorch.json" <<'PY'
import json, sys
ts, pt = (json.load(open(p)) for p in sys.argv[1:3])
print(f"torchsharp {ts['tokens_per_second']:.0f} tok/s (MFU {ts['mfu']:.3f}), pytorch eager {pt['tokens_per_second']:.0f} tok/s (MFU {pt['mfu']:.3f}): "
      f"ratio torchsharp/pytorch = {ts['tokens_per_second'] / pt['tokens_per_second']:.3f}")
PY
