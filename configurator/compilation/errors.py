"""Refusals of the compilation stage, with their codes."""

from __future__ import annotations

from enum import StrEnum

from configurator.errors import ApplicationError


class CompilationCode(StrEnum):
    COMPILING = "product.compiling"  # the version's compile task has not finished


class NotCompiledYet(ApplicationError):
    """The version's compile task has not finished; ask again shortly."""

    def __init__(self, version_id: int) -> None:
        super().__init__(
            CompilationCode.COMPILING,
            "This product is being prepared; try again in a moment.",
            None,
            retry_after=10,  # seconds: a compile takes about that long
        )
        self.version_id = version_id
