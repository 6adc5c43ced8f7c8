"""`townsquare model train|evaluate|info`: the moderation model's life cycle; the work is in the modules."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Train, evaluate or describe the local moderation model."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="fit both tiers on the training sets and ship them if not worse")
        train.add_argument(
            "--with-decisions", action="store_true", help="add moderators' decisions (audit log)"
        )
        train.add_argument("--site", help="only this site's decisions (slug)")
        train.add_argument("--linear-only", action="store_true", help="retrain the linear tier only")
        train.add_argument(
            "--transformer-only",
            action="store_true",
            help="keep the shipped linear tier",
        )
        train.add_argument("--quick", action="store_true", help="a 4%% sample and one C: a smoke run")
        train.add_argument(
            "--budget-minutes", type=float, default=30.0, help="transformer fine-tuning budget"
        )
        train.add_argument(
            "--device",
            default="cpu",
            help="torch device for the transformer: cpu (within the budget) or cuda (whole epochs)",
        )
        train.add_argument("--work-dir", type=Path, help="keep (and reuse) the fine-tuned torch weights here")
        train.add_argument(
            "--artefacts", type=Path, help="where the shipped artefacts live (default: the package)"
        )
        train.add_argument("--report", type=Path, help="training report path (default reports/training.md)")
        train.add_argument(
            "--queue",
            action="store_true",
            help="queue the retraining as a job (the linear tier only: workers have no torch)",
        )
        evaluate = sub.add_parser("evaluate", help="write reports/evaluation.md and PR curves")
        evaluate.add_argument("--out", type=Path, help="report directory (default reports/)")
        evaluate.add_argument("--tiers", default="linear,transformer,auto,cascade")
        sub.add_parser("info", help="describe the shipped model")
        sub.add_parser(
            "holds",
            help="choose the shipped tiers' hold thresholds and cascade cuts again on validation data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from townsquare.classifier.data import DatasetMissing

        try:
            self._run(options)
        except DatasetMissing as exc:
            raise CommandError(str(exc)) from exc

    def _run(self, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "train":
            self._train(options)
        elif action == "evaluate":
            from townsquare.classifier.api import TIERS
            from townsquare.classifier.evaluate import evaluate
            from townsquare.classifier.train import REPORTS

            tiers = options["tiers"].split(",")
            unknown = [tier for tier in tiers if tier not in TIERS]
            if unknown:
                raise CommandError(f"Unknown tier {unknown[0]!r}: choose from {', '.join(TIERS)}.")
            try:
                out = evaluate(out_dir=options["out"] or REPORTS, tiers=tiers)
            except ImportError as exc:
                raise CommandError(
                    f"model evaluate needs the train extra ({exc.name or exc} is not installed): "
                    "pip install -e '.[train]', or make evaluate"
                ) from exc
            self.stdout.write(f"wrote {out}")
        elif action == "holds":
            from townsquare.classifier import cascade, holds
            from townsquare.classifier.data import MASKED, load_training
            from townsquare.classifier.scorers import ARTEFACTS

            _train, val = load_training()
            path = holds.compute_for(ARTEFACTS, val.texts, val.y, MASKED, self.stdout.write)
            self.stdout.write(f"wrote {path}")
            cuts = cascade.compute_for(ARTEFACTS, val.texts, val.y, MASKED, self.stdout.write)
            self.stdout.write(f"wrote {cuts}")
        else:
            from townsquare.classifier.info import describe

            self.stdout.write(describe())

    def _train(self, options: dict[str, Any]) -> None:
        from townsquare.classifier import train
        from townsquare.classifier.scorers import ARTEFACTS

        if options["site"] and not options["with_decisions"]:
            raise CommandError("--site needs --with-decisions")
        if options["queue"]:
            self._queue(options)
            return
        if options["device"] != "cpu":
            _check_device(options["device"])
        decisions = None
        if options["with_decisions"]:
            from townsquare.classifier.decisions import load_decisions

            decisions = load_decisions(options["site"])
        result = train.train(
            out_dir=options["artefacts"] or ARTEFACTS,
            linear_only=options["linear_only"],
            transformer_only=options["transformer_only"],
            quick=options["quick"],
            decisions=decisions,
            budget_s=options["budget_minutes"] * 60,
            device=options["device"],
            work_dir=options["work_dir"],
            report=options["report"] or train.REPORTS / "training.md",
            log=self.stdout.write,
        )
        self.stdout.write("replaced" if result.replaced else "kept the shipped model")

    def _queue(self, options: dict[str, Any]) -> None:
        from django.conf import settings

        from townsquare.classifier.jobs import JOB
        from townsquare.jobs.api import enqueue
        from townsquare.sites.models import Site

        if options["transformer_only"] or options["work_dir"]:
            raise CommandError(
                "--queue retrains the linear tier only: the transformer needs torch, which workers do not "
                "have. Train it in the foreground without --queue."
            )
        if options["site"] and not Site.objects.filter(slug=options["site"]).exists():
            raise CommandError(f"There is no site {options['site']!r}.")
        enqueue(
            JOB,
            with_decisions=options["with_decisions"],
            site=options["site"],
            quick=options["quick"],
            artefacts=str(options["artefacts"]) if options["artefacts"] else None,
            report=str(options["report"]) if options["report"] else None,
        )
        inline = settings.TOWNSQUARE_JOBS == "inline"
        where = "ran in this process (TOWNSQUARE_JOBS=inline; the log says how)" if inline else "queued"
        self.stdout.write(
            f"{JOB} {where}: the linear tier only (the transformer needs torch, which workers do not "
            "have). The report goes to reports/training.md unless --report says otherwise; web processes "
            "load a new model when they restart."
        )


def _check_device(device: str) -> None:
    """Fail before any training starts if torch cannot use `device`."""
    try:
        import torch
    except ImportError as exc:
        raise CommandError(
            f"--device {device} needs torch: install the train extra (pip install -e '.[train]')"
        ) from exc
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise CommandError(
            f"--device {device}: this torch ({torch.__version__}) sees no CUDA device; "
            "train on the CPU (the default) or on a machine with a CUDA build of torch"
        )
