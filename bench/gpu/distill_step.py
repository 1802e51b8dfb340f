#!/usr/bin/env python3
"""One distillation step in PyTorch eager: the twin of `LLMDistill.Bench distill-step` (bench/LLMDistill.Bench/DistillStepBenchmark.cs).

Same models (Llama blocks: RMSNorm in float32, RoPE, GQA through scaled_dot_product_attention(is_causal=True), SwiGLU,
tied embeddings), same sizes, same step: bf16 student with float32 master weights and AdamW on the masters (foreach, as
PyTorch defaults to on CUDA), bf16 teacher under no_grad, forward KL over chunks of positions with the chunk's logits
recomputed in backward, gradient clipping, one loss read per step. Prints one JSON line with tokens/s and MFU.

    python3 bench/gpu/distill_step.py [--tiny] [--device cuda] [--json FILE]
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)  # float32, as LlamaRMSNorm
        return self.weight * x.to(dtype)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Block(nn.Module):
    def __init__(self, d, heads, kv_heads, inter):
        super().__init__()
        self.heads, self.kv_heads, self.hd = heads, kv_heads, d // heads
        self.input_layernorm = RMSNorm(d)
        self.q_proj = nn.Linear(d, heads * self.hd, bias=False)
        self.k_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.v_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.o_proj = nn.Linear(heads * self.hd, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d)
        self.gate_proj = nn.Linear(d, inter, bias=False)
        self.up_proj = nn.Linear(d, inter, bias=False)
        self.down_proj = nn.Linear(inter, d, bias=False)

    def forward(self, x, cos, sin):
        B, T, C = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(B, T, self.heads, self.hd).transpose(1, 2)  # (B, nh, T, hd)
        k = self.k_proj(h).view(B, T, self.kv_heads, self.hd).transpose(1, 2)  # (B, nkv, T, hd)
        v = self.v_proj(h).view(B, T, self.kv_heads, self.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)  # (B, nh, T, hd)
        x = x + self.o_proj(y.transpose(1, 2).reshape(B, T, C))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self, vocab, layers, d, heads, kv_heads, inter, theta=10000.0):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(Block(d, heads, kv_heads, inter) for _ in range(layers))
        self.norm = RMSNorm(d)
        hd = d // heads
        self.register_buffer("inv_freq", 1.0 / theta ** (torch.arange(0, hd, 2).float() / hd), persistent=False)

    def hidden(self, ids):  # final hidden states (B, T, C); logits are made per chunk by the loss
        T = ids.shape[1]
        freqs = torch.outer(torch.arange(T, device=ids.device).float(), self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        x = self.embed_tokens(ids)
        cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
        for layer in self.layers:
            x = layer(x, cos, sin)
        return self.norm(x)

    def head(self, h):
        return F.linear(h, self.embed_tokens.weight)


def chunk_kl(student_hidden, teacher_logits, head):
    """Σ over rows of KL(p_t || p_s) for one chunk, in float32 (the teacher's logits are bf16)."""
    logp_s = head(student_hidden).float().log_softmax(-1)
    logp_t = teacher_logits.float().log_softmax(-1)
    return (logp_t.exp() * (logp_t - logp_s)).sum()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tiny", action="store_true")
    p.add_argument("--device", default=None)
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--seq", type=int, default=None)
    p.add_argument("--warmup", type=int, default=None)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--chunk", type=int, default=4096)
    p.add_argument("--peak-tflops", type=float, default=989.0)
    p.add_argument("--json", default="")
    a = p.parse_args()
    tiny = a.tiny
    device = torch.device(a.device or ("cpu" if tiny else "cuda"))
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("CUDA was requested but torch.cuda.is_available() is False")
    dtype = torch.float32 if tiny else torch.bfloat16
    batch, seq = a.batch or (2 if tiny else 8), a.seq or (64 if tiny else 1024)
    warmup, steps = a.warmup or (1 if tiny else 3), a.steps or (2 if tiny else 10)
    vocab = 512 if tiny else 32000
    s_cfg = (vocab, 2, 64, 4, 2, 128) if tiny else (vocab, 12, 768, 12, 4, 2048)
    t_cfg = (vocab, 2, 128, 4, 2, 256) if tiny else (vocab, 28, 1024, 16, 8, 2816)

    torch.manual_seed(0)
    master = Llama(*s_cfg).to(device)  # float32 masters
    teacher = Llama(*t_cfg).to(device)
    for m in list(master.modules()) + list(teacher.modules()):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)  # as transformers (and LlamaForCausalLM.InitializeWeights) initialise
    student = Llama(*s_cfg).to(device, dtype)
    student.load_state_dict(master.state_dict())
    teacher = teacher.to(dtype).eval().requires_grad_(False)
    decay = [q for q in master.parameters() if q.dim() >= 2]
    no_decay = [q for q in master.parameters() if q.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=3e-4, betas=(0.9, 0.95), eps=1e-8)
    masters, computes = list(master.parameters()), list(student.parameters())
    gen = torch.Generator().manual_seed(3)
    ids = torch.randint(0, vocab, (batch, seq), generator=gen).to(device)
    labels = torch.full_like(ids, -100)
    labels[:, :-1] = ids[:, 1:]

    def step():
        counted = labels.ne(-100)  # (B, T)
        with torch.no_grad():
            t_hidden = teacher.hidden(ids)[counted]  # (N, Ct)
        s_hidden = student.hidden(ids)[counted]  # (N, C)
        n = s_hidden.shape[0]
        total = 0.0
        for start in range(0, n, a.chunk):
            with torch.no_grad():
                t_logits = teacher.head(t_hidden[start:start + a.chunk])
            total = total + checkpoint(chunk_kl, s_hidden[start:start + a.chunk], t_logits, student.head, use_reentrant=False)
        loss = total / n
        loss.backward()
        with torch.no_grad():  # bf16 grads -> float32 master grads, step, refresh the bf16 copy
            for mp, cp in zip(masters, computes):
                mp.grad = cp.grad.float()
                cp.grad = None
        norm = torch.nn.utils.clip_grad_norm_(masters, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            torch._foreach_copy_(computes, masters)
        return loss.item(), norm.item()

    for _ in range(warmup):
        loss, _ = step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss, _ = step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = (time.perf_counter() - t0) / steps

    n_s = sum(q.numel() for q in master.parameters())
    n_t = sum(q.numel() for q in teacher.parameters())
    _, s_layers, s_d, _, _, _ = s_cfg
    _, t_layers, t_d, _, _, _ = t_cfg
    flops_per_token = 6 * n_s + 2 * n_t + 6 * s_layers * seq * s_d + 2 * t_layers * seq * t_d
    tps = batch * seq / seconds
    out = {"impl": "pytorch", "device": str(device), "dtype": str(dtype).replace("torch.", ""), "student_params": n_s,
           "teacher_params": n_t, "batch": batch, "seq": seq, "step_ms": round(seconds * 1000, 2),
           "tokens_per_second": round(tps, 1), "mfu": round(tps * flops_per_token / (a.peak_tflops * 1e12), 4), "loss": loss}
    line = json.dumps(out)
    print(line)
    if a.json:
        with open(a.json, "w") as f:
            f.write(line + "\n")
    return 0 if math.isfinite(loss) else 1


if __name__ == "__main__":
    raise SystemExit(main())
