"""Which styles of an .ods strike their text through (`style:text-line-through-style` other than
'none', or its type when it has no style), fed element by element by the scanners of content.xml
and styles.xml (see struck)."""

from __future__ import annotations


def _attr(attrs: dict[str, str], local: str) -> str:
    return next((value for key, value in attrs.items() if key[key.rfind(":") + 1 :] == local), "")


class OdsStrikes:
    """The styles of an .ods (content.xml's automatic styles, styles.xml's), fed element by
    element: which strike their text through, and the style each inherits from."""

    def __init__(self) -> None:
        self.own: dict[tuple[str, str], bool] = {}  # (family, name) -> its own line-through
        self.parents: dict[tuple[str, str], str] = {}
        self._open: tuple[str, str] | None = None

    def start(self, local: str, attrs: dict[str, str]) -> None:
        if local in ("style", "default-style"):
            family = _attr(attrs, "family")
            self._open = (family, _attr(attrs, "name") if local == "style" else "")
            parent = _attr(attrs, "parent-style-name")
            if parent:
                self.parents[self._open] = parent
        elif local == "text-properties" and self._open is not None:
            # LibreOffice writes a line from a workbook's font as its type only ('single')
            line = _attr(attrs, "text-line-through-style") or _attr(attrs, "text-line-through-type")
            if line:
                self.own[self._open] = line.strip().lower() != "none"

    def end(self, local: str) -> None:
        if local in ("style", "default-style"):
            self._open = None

    def any(self) -> bool:
        return any(self.own.values())

    def strikes(self, family: str, name: str) -> bool | None:
        """Whether a style strikes its text (through its parents); None when none of them says."""
        seen: set[str] = set()
        while name and name not in seen:
            seen.add(name)
            if (family, name) in self.own:
                return self.own[(family, name)]
            name = self.parents.get((family, name), "")
        return None
