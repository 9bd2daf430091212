"""How the ``Vault`` façade offers its rooms' methods and attributes under its own names:
``forward`` (a room's method, same signature and docstring) and ``Kept`` (a room's attribute)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S")
_T = TypeVar("_T")


def forward(
    room: str, method: Callable[Concatenate[_S, _P], _R], *, then_save: bool = False
) -> Callable[Concatenate[Any, _P], _R]:
    """``method`` of the room the façade keeps in its attribute ``room``, offered as is; with
    ``then_save``, the façade's ``save(merge=True)`` runs after it (merging another process's save)."""

    @functools.wraps(method)
    def forwarded(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        result = method(getattr(self, room), *args, **kwargs)
        if then_save:
            self.save(merge=True)
        return result

    return forwarded


class Kept(Generic[_T]):
    """An attribute of the façade kept by the room in its attribute ``room``, read and set there
    under ``name`` (by default its own name)."""

    def __init__(self, room: str, name: str = "") -> None:
        self._room, self._name = room, name

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = self._name or name

    @overload
    def __get__(self, owner_self: None, owner: type) -> Kept[_T]: ...
    @overload
    def __get__(self, owner_self: object, owner: type) -> _T: ...
    def __get__(self, owner_self: object | None, owner: type) -> Kept[_T] | _T:
        if owner_self is None:
            return self
        return cast(_T, getattr(getattr(owner_self, self._room), self._name))

    def __set__(self, owner_self: object, value: _T) -> None:
        setattr(getattr(owner_self, self._room), self._name, value)
