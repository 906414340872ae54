"""What a call does that its API definition does not allow, and where: kept with the call's
record, shown by the call-log API, HAR comments and JSON lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """What a call does that its operation does not allow, and where."""

    location: tuple[str, ...]  # ("query", "limit"), ("body", "name"), ("security",)
    code: str  # "required", "invalid", "unauthorized", "unsupported"...
    message: str
    severity: str = "error"

    def line(self) -> str:
        return f"{'.'.join(self.location) or 'request'}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "location": list(self.location),
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    @property
    def unauthorized(self) -> bool:
        return self.code == "unauthorized"
