"""One light, readable colour per agency, the same in the workbook and the workshop pack."""

from __future__ import annotations

from collections.abc import Sequence

# Light tints; each gives black text a contrast ratio well above WCAG AA's 4.5:1.
PALETTE = (
    "#DCE9F9",  # blue
    "#FCE3CF",  # orange
    "#DDF2DB",  # green
    "#F7DCE3",  # pink
    "#E8E0F5",  # lilac
    "#FFF3C4",  # yellow
    "#D5F0EF",  # teal
    "#EFE5D8",  # sand
    "#E3E7EA",  # grey
    "#F3E0F1",  # mauve
    "#E6F4C8",  # lime
    "#FBE1DA",  # salmon
)
TEXT_COLOUR = "#000000"
# Stronger shades of the same hues, for marks on the timeline (not for text backgrounds).
MARK_PALETTE = (
    "#2F6DB5", "#C7620E", "#2E8B3A", "#B8416A", "#6B4FA8", "#9A7B00",
    "#1D8480", "#8A6A3F", "#5E6B75", "#9B3F91", "#5F8A12", "#C0503A",
)


def agency_colours(agencies: Sequence[str]) -> dict[str, str]:
    """Map each agency, in the given order, to a background colour (cycling if many)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(agencies)}


def agency_mark_colours(agencies: Sequence[str]) -> dict[str, str]:
    """Map each agency, in the given order, to its strong timeline colour."""
    return {name: MARK_PALETTE[i % len(MARK_PALETTE)] for i, name in enumerate(agencies)}


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two '#RRGGBB' colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
