"""The X session fixtures (tests/autotype/session.py)."""

from tests.autotype.session import target, x_session

__all__ = ["target", "x_session"]
