"""Fine-tune MiniLM by whole epochs on a GPU, keeping the epoch with the best validation ROC-AUC.

`transformer_train.train_transformer` fits within a wall-time budget on a 2-core machine. This is the same
model and masked loss trained the way the shipped weights were: full epochs under bf16 autocast on a CUDA
device, a linear warm-up and decay, and the epoch chosen on the validation rows (never on benchmark/ or
newsroom/). `townsquare model train --device cuda` calls it; `scripts/train_transformer_gpu.py` runs a small
sweep of it on a machine that has torch but not the rest of the project's dependencies.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from townsquare.classifier import transformer_train as tt
from townsquare.classifier.api import LABELS
from townsquare.classifier.calibration import val_auc
from townsquare.classifier.data import SEED, Split


def fine_tune(
    train: Split,
    val: Split,
    out_dir: Path,
    *,
    device: str = "cuda",
    epochs: int = 5,
    batch: int = 64,
    lr: float = 1e-4,
    max_len: int = 128,
    warmup_share: float = 0.06,
    seed: int = SEED,
    progress: bool = True,
    log: Any = print,
) -> dict[str, Any]:
    """Train, and write the best epoch's weights (`minilm.pt`) and `transformer_meta.json` to `out_dir`.

    The defaults are the first sweep's winner (its third epoch of five was best). The shipped weights average
    two three-epoch runs of that setting (`scripts/train_transformer_gpu.py`).
    """
    import torch
    import transformers
    from tqdm import tqdm

    # The head starts the same whatever `seed` says, so that runs differing only in data order and dropout
    # can be averaged (`greedy_soup`).
    torch.manual_seed(SEED)
    model = tt._build(torch, transformers).float().to(device)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    tok = tt.tokenizer(max_len)
    y = torch.from_numpy(train.y.astype(np.float32))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, fused=device.startswith("cuda"))
    total = epochs * ((len(train) + batch - 1) // batch)
    warmup = max(1, int(total * warmup_share))
    use_bf16 = device.startswith("cuda")
    history: list[dict[str, Any]] = []
    best_auc, best_epoch, step = -1.0, 0, 0
    started = time.time()
    for epoch in range(1, epochs + 1):
        order = list(range(len(train)))
        random.Random(seed + epoch).shuffle(order)
        model.train()
        batches = tt._length_buckets(train.texts, order, batch, seed=seed + 1 + epoch)
        for rows in tqdm(batches, desc=f"epoch {epoch}/{epochs}", disable=not progress):
            for group in opt.param_groups:
                group["lr"] = lr * min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
            ids, mask = tt._encode(tok, [train.texts[i] for i in rows])
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device))
            loss = tt.masked_loss(torch, logits.float(), y[rows].to(device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 500 == 0:
                log(f"epoch {epoch} step {step}/{total} loss {loss.item():.4f} {time.time() - started:.0f}s")
        mean = _val_mean_auc(torch, model, tok, val, device, use_bf16)
        history.append({"epoch": epoch, "steps": step, "val_mean_auc": round(mean, 4)})
        log(f"epoch {epoch}: validation mean ROC-AUC {mean:.4f} ({time.time() - started:.0f}s)")
        if mean > best_auc:
            best_auc, best_epoch = mean, epoch
            # Written aside and renamed, so a run stopped at any point leaves the best epoch so far whole.
            state = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
            torch.save(state, out_dir / "minilm.pt.tmp")
            (out_dir / "minilm.pt.tmp").replace(out_dir / "minilm.pt")
        meta: dict[str, Any] = {
            "steps": history[best_epoch - 1]["steps"],
            "batch": batch,
            "max_len": max_len,
            "train_seconds": round(time.time() - started),
            "device": torch.cuda.get_device_name() if use_bf16 else device,
            "lr": lr,
            "seed": seed,
            "epochs": epochs,
            "best_epoch": best_epoch,
            "val_mean_auc": round(best_auc, 4),
            "history": history,
        }
        (out_dir / "transformer_meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def greedy_soup(
    runs: list[Path], val: Split, out_dir: Path, *, device: str = "cuda", log: Any = print
) -> dict[str, Any]:
    """Average the weights of fine-tuned runs ("model soup", Wortsman et al. 2022), greedily.

    The runs share one starting point, so their weights can be averaged into one model of the same size and
    speed. Taken in order of validation ROC-AUC, a run joins the soup only if the average with it is not worse
    on the validation rows. Writes `minilm.pt` and `transformer_meta.json` to `out_dir`.
    """
    import torch
    import transformers

    metas = {run: json.loads((run / "transformer_meta.json").read_text()) for run in runs}
    ordered = sorted(runs, key=lambda r: -metas[r]["val_mean_auc"])
    model = tt._build(torch, transformers).float().to(device)
    max_len = int(metas[ordered[0]]["max_len"])
    tok = tt.tokenizer(max_len)
    use_bf16 = device.startswith("cuda")

    def score(state: dict[str, Any]) -> float:
        model.load_state_dict(state)
        return _val_mean_auc(torch, model, tok, val, device, use_bf16)

    def mean_of(summed: dict[str, Any], n: int) -> dict[str, Any]:
        return {k: v / n if v.is_floating_point() else v for k, v in summed.items()}

    total = torch.load(ordered[0] / "minilm.pt")
    members, best = [ordered[0]], score(total)
    log(f"soup of {ordered[0].name}: {best:.4f}")
    for run in ordered[1:]:
        candidate = torch.load(run / "minilm.pt")
        summed = {k: v + candidate[k] if v.is_floating_point() else v for k, v in total.items()}
        mean = score(mean_of(summed, len(members) + 1))
        log(f"soup + {run.name}: {mean:.4f} ({'kept' if mean >= best else 'left out'})")
        if mean >= best:
            total, members, best = summed, [*members, run], mean
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save(mean_of(total, len(members)), out_dir / "minilm.pt")
    meta = {
        **metas[members[0]],
        "val_mean_auc": round(best, 4),
        "soup": {m.name: metas[m]["val_mean_auc"] for m in members},
        "runs": {
            r.name: {k: metas[r][k] for k in ("lr", "seed", "epochs", "best_epoch", "val_mean_auc")}
            for r in runs
        },
        "train_seconds": sum(int(m["train_seconds"]) for m in metas.values()),
    }
    (out_dir / "transformer_meta.json").write_text(json.dumps(meta, indent=1))
    return meta


def _val_mean_auc(torch: Any, model: Any, tok: Any, val: Split, device: str, use_bf16: bool) -> float:
    auc = val_auc(_predict(torch, model, tok, val.texts, device, use_bf16), val.y)
    return float(np.mean(list(auc.values())))


def _predict(
    torch: Any, model: Any, tok: Any, texts: Sequence[str], device: str, use_bf16: bool
) -> npt.NDArray[np.float64]:
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.empty((len(texts), len(LABELS)))
    with torch.no_grad():
        for start in range(0, len(order), 256):
            rows = order[start : start + 256]
            ids, mask = tt._encode(tok, [texts[i] for i in rows])
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device))
            out[rows] = logits.float().cpu().numpy()
    model.train()
    return out
