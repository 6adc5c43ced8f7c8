"""Phases that misbehave on purpose, for the fault tests (importable by dotted path from settings)."""

import time
from typing import Any, ClassVar

from townsquare.moderation.phases.base import Context, Phase, Verdict


class Raises(Phase):
    def check(self, ctx: Context) -> Verdict | None:
        raise RuntimeError("the check broke")


class Sleeps(Phase):
    """Sleeps past any small budget; `isolated` decides whether the budget can cut it off."""

    defaults: ClassVar[dict[str, Any]] = {"seconds": 0.3}

    def check(self, ctx: Context) -> Verdict | None:
        time.sleep(self.options["seconds"])
        return None


class SleepsIsolated(Sleeps):
    isolated = True


class Says(Phase):
    """Returns the action named in OPTIONS, with one reason and one score."""

    defaults: ClassVar[dict[str, Any]] = {"action": "hold", "code": "says"}

    def check(self, ctx: Context) -> Verdict | None:
        reason = self.reason(self.options["code"], f"{self.name} says {self.options['action']}")
        return Verdict(self.options["action"], [reason], {f"{self.name}_score": 0.5})


class Abstains(Phase):
    def check(self, ctx: Context) -> Verdict | None:
        return Verdict(None, [], {"abstainer": 0.1})
