"""Fine-tune the transformer tier on a GPU: several runs at once, averaged into one model ("soup").

Runs where torch (with CUDA) and scikit-learn are installed but the project's web dependencies may not be:

    PYTHONPATH=src TOWNSQUARE_DATASETS=... TOWNSQUARE_MINILM_DIR=... \\
        python3 scripts/train_transformer_gpu.py OUT [--deadline 420]

Each run trains in its own process on the same GPU (MiniLM is small enough that they share it well) and
keeps its best epoch by validation mean ROC-AUC; `transformer_gpu.greedy_soup` then averages the runs that
help on validation data into OUT/best. On the machine that ships the model, `townsquare model train
--transformer-only --work-dir OUT/best` exports, calibrates, stacks and gates it like any other training run.

A first sweep over settings (learning rate 5e-5 to 1e-4, batch 32 or 64, 128 or 160 tokens) chose learning
rate 1e-4, batch 64 and 128 tokens, best at its third epoch; the runs below repeat it with other data orders
(the head's starting weights are shared, so the runs can be averaged).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from townsquare.classifier.data import SEED, Split, load_training

# name: (learning rate, epochs, max tokens, batch, seed)
SETTINGS: dict[str, tuple[float, int, int, int, int]] = {
    "seed0": (1e-4, 3, 128, 64, SEED),
    "seed1": (1e-4, 3, 128, 64, SEED + 101),
    "seed2": (1e-4, 3, 128, 64, SEED + 202),
    "seed3": (1e-4, 3, 128, 64, SEED + 303),
}
QUICK_ROWS = 300


def _splits(quick: bool) -> tuple[Split, Split]:
    train, val = load_training(quick=quick)
    if not quick:
        return train, val
    # A smoke run on a CPU: a few hundred rows exercise every step.
    return _head(train), _head(val)


def _head(split: Split) -> Split:
    return Split(split.texts[:QUICK_ROWS], split.targets[:QUICK_ROWS], split.sources[:QUICK_ROWS])


def _device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def run_one(name: str, out: Path, quick: bool) -> None:
    import torch

    from townsquare.classifier.transformer_gpu import fine_tune

    torch.set_num_threads(2)
    lr, epochs, max_len, batch, seed = SETTINGS[name]
    train, val = _splits(quick)
    device = _device()
    print(f"{name}: {len(train)} training rows, {len(val)} validation rows on {device}", flush=True)
    fine_tune(
        train,
        val,
        out / name,
        device=device,
        epochs=1 if quick else epochs,
        batch=batch,
        lr=lr,
        max_len=max_len,
        seed=seed,
        progress=False,  # several runs share one terminal: their log lines say how far each is
        log=lambda line: print(f"{name}: {line}", flush=True),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--deadline", type=float, default=420.0, help="seconds before unfinished runs stop")
    parser.add_argument("--only", help="comma-separated setting names")
    parser.add_argument("--quick", action="store_true", help="300 rows and one epoch: a smoke run")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.out, args.quick)
        return
    names = args.only.split(",") if args.only else list(SETTINGS)
    extra = ["--quick"] if args.quick else []
    procs = {
        # Our own script with our own arguments: nothing untrusted reaches the command line.
        name: subprocess.Popen([sys.executable, __file__, str(args.out), "--one", name, *extra])  # noqa: S603
        for name in names
    }
    started = time.time()
    while any(p.poll() is None for p in procs.values()) and time.time() - started < args.deadline:
        time.sleep(2)
    for name, proc in procs.items():
        if proc.poll() is None:
            print(f"{name}: stopped at the deadline; its best epoch so far counts", flush=True)
            proc.kill()
    from townsquare.classifier.transformer_gpu import greedy_soup

    runs = [args.out / n for n in names if (args.out / n / "transformer_meta.json").exists()]
    if not runs:
        sys.exit("no run finished an epoch")
    _train, val = _splits(args.quick)
    meta = greedy_soup(runs, val, args.out / "best", device=_device(), log=print)
    print(f"soup of {', '.join(meta['soup'])}: validation mean ROC-AUC {meta['val_mean_auc']}")


if __name__ == "__main__":
    main()
