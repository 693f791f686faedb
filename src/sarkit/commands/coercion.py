"""Command-line values turned into Python values without importing pydantic, where that is sure.

typer (0.29) coerces every non-flag value through a pydantic TypeAdapter, and importing pydantic
costs about 0.1-0.15 s of every run. sarkit's parameters are plain (str, int, Path, a StrEnum or a
list of one of these, with typer's default checks), so the common values are turned here with
typer's own helpers (the same checks, results and messages); anything else, or anything this
cannot be sure of (a value that is not a plain number, a choice that does not match), goes to
typer's own coercion, which gives the same answer or message as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:  # typer's internals: when they move, sarkit falls back to typer's own coercion
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # pragma: no cover - only with another typer
    RuntimeParam = None  # type: ignore[assignment,misc]

_UNSURE = object()


def _plain(info: Any) -> bool:
    """Whether a parameter has typer's default checks only (no parser, range, or path options)."""
    return (info.parser is None and info.min is None and info.max is None and not info.clamp
            and not info.exists and not info.resolve_path and not info.allow_dash
            and info.path_type is None)


def _leaf(annotation: Any, value: Any, info: Any, param: Any, ctx: Any) -> Any:
    """One value as typer would turn it, or _UNSURE to let typer do it."""
    if not isinstance(value, str):
        return _UNSURE
    if annotation is str:
        return value
    if annotation is int:
        return int(value) if value.isascii() and value.isdigit() else _UNSURE
    if isinstance(annotation, type) and issubclass(annotation, Path):
        # typer: Path(value), then its stat/readable checks on the text given
        return annotation(coerce_cli_path(value, info, path_type=None, param=param, ctx=ctx))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(value, choices=tuple(annotation),
                                     case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            return _UNSURE
    return _UNSURE


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):  # type: ignore[misc,valid-type]
        """typer's RuntimeParam (its None and list handling kept) with plain values turned here."""

        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation, info = self.annotation, self.parameter_info
            if get_origin(annotation) is list:
                if isinstance(value, (list, tuple)):
                    (item_type,) = get_args(annotation)
                    items = [_leaf(item_type, item, info, param, ctx) for item in value]
                    if not any(item is _UNSURE for item in items):
                        return items
            else:
                result = _leaf(annotation, value, info, param, ctx)
                if result is not _UNSURE:
                    return result
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def install(command: Any) -> None:
    """Give each plain parameter of a click command the pydantic-free coercion."""
    for param in getattr(command, "params", ()):
        _install_param(param)


def install_help(command: Any, ctx: Any) -> Any:
    """The command's --help option (typer makes it on first use, and caches it), given the
    pydantic-free coercion too: typer builds a parameter's coercion before it looks at the value,
    so even a --help not given would import pydantic."""
    option = command.get_help_option(ctx)
    if option is not None:
        _install_param(option)
    return option


def _install_param(param: Any) -> None:
    if RuntimeParam is None:  # pragma: no cover - only with another typer
        return
    descriptor = getattr(param, "type_descriptor", None)
    if (descriptor is None or getattr(param, "_runtime_param", False) is not None
            or descriptor.file_annotation is not None or not _plain(descriptor.parameter_info)):
        return
    param._runtime_param = PlainRuntimeParam(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
        descriptor=descriptor)
