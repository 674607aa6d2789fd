"""Rules declare the codes they report, the way yamllint's rules declare their ID: `@rule` records
the codes it is given on the function, and the runner holds every rule to them (`own_codes`); the
loader and the schema checks declare theirs as a module's `EMITS`.

A rule that reports a code it did not declare is our bug, not the user's. The diagnostic is still
true, so it is still reported, and `kam validate` does not stop with a traceback on someone's
repository over our bookkeeping: the runner issues `UndeclaredCode`, a warning Python prints once
on stderr. The test suite turns that warning into an error (pyproject.toml, `filterwarnings`), so
whichever test reaches the rule fails; it is an AssertionError as well, a broken assertion about
our own code.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, cast

from ..core.codes import emits
from ..core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from .context import RuleContext


class UndeclaredCode(AssertionError, RuntimeWarning):
    """A rule, the loader or the schema checks reported a code they do not declare."""


class Rule(Protocol):
    codes: frozenset[str]
    __name__: str

    def __call__(self, ctx: RuleContext, /) -> Iterable[Diagnostic]: ...


def rule(*codes: str) -> Callable[[Callable[[RuleContext], Iterable[Diagnostic]]], Rule]:
    """Declare the codes the decorated rule reports; a code the registry lacks fails at import."""
    declared = emits(*codes)

    def mark(check: Callable[[RuleContext], Iterable[Diagnostic]]) -> Rule:
        check.codes = declared  # type: ignore[attr-defined]
        return cast(Rule, check)
    return mark


def own_codes(who: str, declared: frozenset[str], found: list[Diagnostic]) -> list[Diagnostic]:
    """`found`, unchanged, after warning if `who` reported a code outside `declared`."""
    stray = {d.code for d in found} - declared
    if stray:
        warnings.warn(UndeclaredCode(f"{who} reported {', '.join(sorted(stray))}, which it does not declare"),
                      stacklevel=2)
    return found
