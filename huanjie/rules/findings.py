"""What a rule check found: one shape for the web pages and the commands alike.

A check returns a list of :class:`Finding` (empty = nothing to say). The wording lives
with the rule that produced it, in Chinese and in English, so that a county clerk reading
the page and a script reading a command's output see the same sentence.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem with an input.

    ``code`` is stable (``seats.total_out_of_range``), ``section`` is the DOMAIN.md
    section the rule comes from ("§5.3"), ``level`` says whether the input must be
    refused (error) or only shown (warning: the seed's targets are not law, DOMAIN §5.3).
    ``params`` carries the numbers in the message, for callers that format their own.
    """

    code: str
    section: str
    level: Level
    params: dict[str, Any] = field(default_factory=dict)
    message_zh: str = ""
    message_en: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        return self.message_zh


def error(code: str, section: str, message_zh: str, message_en: str, **params: Any) -> Finding:
    """A finding that must block the change it is about."""
    return Finding(code, section, "error", params, message_zh, message_en)


def warning(code: str, section: str, message_zh: str, message_en: str, **params: Any) -> Finding:
    """A finding that is shown but does not block (targets, not law)."""
    return Finding(code, section, "warning", params, message_zh, message_en)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
