"""Help for people: every argument and option shown with a plain word (PATH..., FILE, DAYS,
table|json), never a Python type such as <list[Path]>, <str> or <int range>."""

from __future__ import annotations

from typing import Any


def _word(param: Any) -> str:
    """The plain word for a value with no metavar of its own."""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and desc.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    if desc is not None and desc.is_path:
        return "PATH"
    try:
        name = param.bare_type().lower()
    except Exception:  # a type typer cannot name: a plain word still
        name = ""
    return "NUMBER" if "int" in name or "float" in name else "TEXT"


def plain_help(command: Any) -> Any:
    """Give each parameter of `command` a plain metavar and no type label in its help, and move
    the docstring's Example to the very end of the help (after the options and any epilog)."""
    _example_last(command)
    for param in command.params:
        if param.param_type_name == "argument":
            _plain_argument(param)
        elif param.param_type_name == "option" and not (param.is_flag or param.count):
            word = param.metavar or _word(param)
            param.metavar = word
            param.display_type_rich = lambda ctx, word=word: word
    return command


def _plain_argument(param: Any) -> None:
    base = (param.metavar or param.name or "VALUE").strip("[]{}.").upper()
    many = "..." if param.nargs != 1 else ""
    param.metavar = base
    param.display_type_rich = lambda ctx: ""
    param._rich_display_name = lambda: base + many
    param._usage_display_name = lambda: (base if param.required else f"[{base}]") + many


def _example_last(command: Any) -> None:
    text = command.help or ""
    at = text.find("\b\nExample")
    if at < 0:
        return
    command.help = text[:at].rstrip()
    example = text[at:].rstrip()
    command.epilog = f"{command.epilog}\n\n{example}" if command.epilog else example
