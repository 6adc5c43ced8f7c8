"""The moderation pipeline: ordered phases from settings, per-site overrides, a time budget.

The first decisive verdict wins unless a later phase is marked `override` (a ban's or the length
limit's rejection always stands); every phase's reasons and scores are kept. A phase that raises or
runs out of time never lets a comment be published: it is held with "check unavailable" and a queued
job checks it again (`moderation.recheck`).
"""

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string

from townsquare.comments.models import CommentState
from townsquare.core import metrics
from townsquare.moderation.phases.base import (
    CHECK_UNAVAILABLE,
    MODEL_PENDING,
    Context,
    Phase,
    Reason,
    Verdict,
)
from townsquare.moderation.policy_rules import REQUIRED_PHASES

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from townsquare.comments.models import Article, Comment
    from townsquare.sites.models import Site

logger = logging.getLogger(__name__)
STATE_OF = {"publish": CommentState.PUBLISHED, "hold": CommentState.HELD, "reject": CommentState.REJECTED}
# Isolated phases run here so the budget can stop waiting for them; a few threads are enough.
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="moderation-phase")


@dataclass(frozen=True)
class Submission:
    text: str
    article: "Article"
    author: "User | None"
    parent: "Comment | None" = None
    ip_hash: str = ""
    is_edit: bool = False
    # The reader saw the nudge for this text and chose to post anyway.
    nudge_acknowledged: bool = False
    # Set when a stored comment is checked again (its own row is not a "repeat" of itself).
    comment_id: int | None = None


@dataclass
class Decision:
    state: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    decided_by: str = ""
    phase: str = ""
    # Reasons to show the reader before the first submit goes through (empty: no nudge).
    nudge: list[dict[str, Any]] = field(default_factory=list)
    # A check failed or ran out of time: the comment waits for `moderation.recheck`.
    recheck: bool = False
    elapsed_ms: float = 0.0

    @property
    def action(self) -> str:
        return {v: k for k, v in STATE_OF.items()}[CommentState(self.state)]


class PhaseTimeout(Exception):
    pass


def _build(entries: tuple[tuple[str, str], ...]) -> list[Phase]:
    phases = []
    for name, entry_json in entries:
        entry = json.loads(entry_json)
        cls: type[Phase] = import_string(entry["NAME"])
        phases.append(cls(name, **entry.get("OPTIONS", {})))
    return phases


def phase_name(entry: dict[str, Any]) -> str:
    return str(entry.get("ID") or entry["NAME"].rsplit(".", 1)[-1])


def configured_entries(site: "Site | None") -> list[dict[str, Any]]:
    """The settings list with the site's overrides: `{"<phase>": {"enabled": false, "OPTIONS": {...}}}`."""
    overrides: dict[str, Any] = (site.policy_value("pipeline") if site is not None else None) or {}
    entries = []
    for entry in settings.MODERATION_PIPELINE:
        name = phase_name(entry)
        override = overrides.get(name, {})
        if override.get("enabled", True) is False:
            continue
        options = {**entry.get("OPTIONS", {}), **override.get("OPTIONS", {})}
        if "override" in override:
            options["override"] = bool(override["override"])
        entries.append({"NAME": entry["NAME"], "ID": name, "OPTIONS": options})
    return entries


@cache
def _phases(entries: tuple[tuple[str, str], ...]) -> list[Phase]:
    phases = _build(entries)
    for phase in phases:
        phase.prepare()
    return phases


_prepare_lock = threading.Lock()


def phases_for(site: "Site | None") -> list[Phase]:
    """Built and prepared once per distinct configuration, outside any comment's time budget."""
    key = tuple((phase_name(e), json.dumps(e, sort_keys=True)) for e in configured_entries(site))
    with _prepare_lock:
        return _phases(key)


def _call(phase: Phase, ctx: Context, remaining: float) -> Verdict | None:
    if not phase.isolated:
        return phase.check(ctx)
    ctx.normalised  # computed here, so the worker thread only reads it  # noqa: B018
    future = _executor.submit(phase.check, ctx)
    try:
        return future.result(timeout=max(remaining, 0.0))
    except FutureTimeout as exc:
        future.cancel()
        raise PhaseTimeout(phase.name) from exc


def run(ctx: Context, phases: list[Phase], *, budget_ms: float) -> Decision:
    started = time.perf_counter()
    deadline = started + budget_ms / 1000
    decisive: tuple[Phase, Verdict] | None = None
    reasons: list[Reason] = []
    scores: dict[str, float] = {}
    failure: Reason | None = None
    for phase in phases:
        if ctx.dry_run and phase.kind != "content":
            continue
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            failure = Reason(
                CHECK_UNAVAILABLE, f"Time budget spent before the {phase.name} check.", phase=phase.name
            )
            break
        try:
            verdict = _call(phase, ctx, remaining)
        except PhaseTimeout:
            failure = Reason(CHECK_UNAVAILABLE, f"The {phase.name} check ran out of time.", phase=phase.name)
            break
        except Exception:
            logger.exception("moderation phase %s failed", phase.name)
            failure = Reason(CHECK_UNAVAILABLE, f"The {phase.name} check failed.", phase=phase.name)
            continue
        if verdict is None:
            continue
        reasons.extend(verdict.reasons)
        scores.update(verdict.scores)
        if verdict.action is not None and (decisive is None or (phase.override and not _final(decisive))):
            decisive = (phase, verdict)
        if time.perf_counter() > deadline:
            failure = Reason(
                CHECK_UNAVAILABLE, f"Time budget spent during the {phase.name} check.", phase=phase.name
            )
            break
    elapsed = (time.perf_counter() - started) * 1000
    return _decide(ctx, decisive, reasons, scores, failure, elapsed)


def _final(decisive: tuple[Phase, Verdict]) -> bool:
    """A rejection by a phase no site can switch off (a ban, the length limit) stands: a later phase
    marked `override` may not turn it into a hold that a moderator could approve."""
    phase, verdict = decisive
    return verdict.action == "reject" and phase.name in REQUIRED_PHASES


def _decide(
    ctx: Context,
    decisive: tuple[Phase, Verdict] | None,
    reasons: list[Reason],
    scores: dict[str, float],
    failure: Reason | None,
    elapsed: float,
) -> Decision:
    if failure is not None:
        reasons = [failure, *reasons]
    if decisive is None or (failure is not None and decisive[1].action == "publish"):
        if failure is None:
            return Decision(CommentState.PUBLISHED, _dicts(reasons), scores, elapsed_ms=elapsed)
        return Decision(
            CommentState.HELD, _dicts(reasons), scores, CHECK_UNAVAILABLE, failure.phase, recheck=True,
            elapsed_ms=elapsed,
        )  # fmt: skip
    phase, verdict = decisive
    assert verdict.action is not None
    first = [r for r in reasons if r.phase == phase.name]
    ordered = first + [r for r in reasons if r.phase != phase.name]
    decided_by = verdict.reasons[0].code if verdict.reasons else phase.name
    decision = Decision(
        STATE_OF[verdict.action], _dicts(ordered), scores, decided_by, phase.name, elapsed_ms=elapsed
    )
    if decided_by == MODEL_PENDING:
        decision.recheck = True
        return decision
    if verdict.action == "hold" and phase.nudgeable and not ctx.dry_run and ctx.policy("nudge_enabled"):
        decision.nudge = [_nudge(ctx, r) for r in verdict.reasons]
    return decision


def _dicts(reasons: list[Reason]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in reasons]


def _nudge(ctx: Context, reason: Reason) -> dict[str, Any]:
    excerpt = ctx.text[reason.span[0] : reason.span[1]] if reason.span else ""
    return {"code": reason.code, "text": reason.text, "span": list(reason.span) if reason.span else None,
            "excerpt": excerpt[:80]}  # fmt: skip


def moderate(submission: Submission, *, budget_ms: float | None = None) -> Decision:
    """Decide one submission. Never raises for its content; failures end in a held decision."""
    article = submission.article
    site = article.site
    ctx = Context(
        text=submission.text,
        site=site,
        article=article,
        author=submission.author,
        parent=submission.parent,
        ip_hash=submission.ip_hash,
        comment_id=submission.comment_id,
    )
    phases = phases_for(site)
    budget = settings.MODERATION_BUDGET_MS if budget_ms is None else budget_ms
    decision = run(ctx, phases, budget_ms=budget)
    metrics.observe_decision(decision.phase or "none", decision.decided_by or "none", decision.state)
    if "model_ms" in decision.scores:
        metrics.observe_model_latency(decision.scores["model_ms"] / 1000)
    return decision


def dry_run(text: str, site: "Site", *, parent_text: str = "", budget_ms: float | None = None) -> Decision:
    """Judge a text as if an established reader in good standing posted it: content phases only."""
    ctx = Context(text=text, site=site, parent_text=parent_text, dry_run=True)
    budget = settings.MODERATION_BUDGET_MS if budget_ms is None else budget_ms
    return run(ctx, phases_for(site), budget_ms=budget)
