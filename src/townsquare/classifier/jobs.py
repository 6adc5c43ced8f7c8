"""Queued retraining: `townsquare model train --with-decisions [--site S] --queue`.

The job retrains the linear tier only. The transformer tier needs torch (the `train` extra), which
serving and its workers do not install; retrain it in the foreground (`townsquare model train`) on a
machine that has it. Running the job twice is safe: `train.train` ships a model only if it is at least
as good as the one in place on the same validation rows, and a lease keeps a second delivery of the
job from training alongside the first.

The new artefacts are written where the worker runs; other processes load them when they restart.
"""

import logging
from pathlib import Path

from townsquare.jobs.api import register
from townsquare.jobs.receipts import lease

logger = logging.getLogger(__name__)
JOB = "classifier.retrain"
# An hour: the full linear training on the shared datasets, with room to spare.
TIME_LIMIT = 3600


# One try: an hour-long job that failed once will fail again, and retries would pile up.
@register(JOB, soft_time_limit=TIME_LIMIT, time_limit=TIME_LIMIT + 60, max_retries=0)
def retrain(
    *,
    with_decisions: bool = True,
    site: str | None = None,
    quick: bool = False,
    artefacts: str | None = None,
    report: str | None = None,
) -> bool | None:
    """Retrain the linear tier, with the moderators' decisions (of `site`, or all) when asked.

    Returns whether the new model replaced the shipped one; None when another run held the lease.
    """
    from townsquare.classifier import train
    from townsquare.classifier.scorers import ARTEFACTS

    with lease(JOB, TIME_LIMIT + 60) as mine:
        if not mine:
            logger.warning("%s: another run is training; this one does nothing", JOB)
            return None
        decisions = None
        if with_decisions:
            from townsquare.classifier.decisions import load_decisions

            decisions = load_decisions(site)
        result = train.train(
            out_dir=Path(artefacts) if artefacts else ARTEFACTS,
            linear_only=True,
            quick=quick,
            decisions=decisions,
            report=Path(report) if report else train.REPORTS / "training.md",
            log=logger.info,
        )
    logger.info("%s: %s", JOB, "replaced the shipped model" if result.replaced else "kept the shipped model")
    return result.replaced
