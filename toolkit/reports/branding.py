"""Branding of the PDF and HTML reports: who prepared them, for whom, a logo and the colours.

Defaults come from `reports/branding.json` (see `reports/README.md`); the command line and the app
override them. A logo is checked as an image before it goes anywhere near a report: at most
`LOGO_MAX_BYTES`, its type read from its content (never its name), PNG by its signature and
header, SVG parsed without entities and refused when it holds anything active or external
(scripts, event handlers, foreign objects, links or styles that fetch something). A refused logo
is a `ToolkitError` naming the file and the reason.
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass, field

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from toolkit.errors import ToolkitError
from toolkit.safe import safe_text

LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_PIXELS = 4000  # per side, for a PNG
TEXT_LIMIT = 200  # characters of --prepared-by / --prepared-for
_PNG = b"\x89PNG\r\n\x1a\n"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
# Shapes, text and paint servers: what a logo needs, nothing that runs or fetches.
_SVG_TAGS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
             "defs", "lineargradient", "radialgradient", "stop", "title", "desc", "clippath", "mask", "symbol",
             "use", "metadata"}
_FETCHING = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\(|javascript:", re.IGNORECASE)


@dataclass(frozen=True)
class Logo:
    """A checked logo: its media type and bytes."""

    media_type: str  # "image/png" | "image/svg+xml"
    data: bytes

    @property
    def data_uri(self) -> str:
        """The logo as a `data:` URI for an `<img>` (an image in `<img>` never runs script)."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class Branding:
    """Who prepared a report, for whom, the logo, and the colours and font of the report."""

    prepared_by: str = ""
    prepared_for: str = ""
    logo: Logo | None = None
    colours: dict[str, str] = field(default_factory=dict)  # CSS variable name -> #RRGGBB
    font: str = ""

    def with_text(self, prepared_by: str | None = None, prepared_for: str | None = None) -> Branding:
        """A copy with the names given (cleaned, cut to `TEXT_LIMIT`); None keeps the current one."""
        return Branding(clean_text(prepared_by) if prepared_by is not None else self.prepared_by,
                        clean_text(prepared_for) if prepared_for is not None else self.prepared_for,
                        self.logo, dict(self.colours), self.font)


def clean_text(value: str) -> str:
    """A name for the cover: one line, no control characters, at most `TEXT_LIMIT` characters."""
    return " ".join(safe_text(value, limit=TEXT_LIMIT).split())


def check_colours(colours: dict[str, object], source: str) -> dict[str, str]:
    """Colours as `#RRGGBB` only (they go into the report's CSS); anything else is refused by name."""
    checked = {}
    for name, value in colours.items():
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,30}", name) or not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise ToolkitError(f"{source}: $.colours.{name}: a colour must be written #RRGGBB")
        checked[name] = value
    return checked


def load_logo(data: bytes, name: str) -> Logo:
    """`data` as a checked PNG or SVG logo; ToolkitError naming `name` and the reason otherwise."""
    if len(data) > LOGO_MAX_BYTES:
        raise ToolkitError(f"{name}: the logo is {len(data) / 1e6:.1f} MB; at most {LOGO_MAX_BYTES / 1e6:.0f} MB")
    if data.startswith(_PNG):
        return Logo("image/png", _checked_png(data, name))
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return Logo("image/svg+xml", _checked_svg(data, name))
    raise ToolkitError(f"{name}: the logo is not a PNG or SVG image (its content says so, whatever its name)")


def _checked_png(data: bytes, name: str) -> bytes:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise ToolkitError(f"{name}: the PNG logo is damaged (no image header)")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= LOGO_MAX_PIXELS and 0 < height <= LOGO_MAX_PIXELS):
        raise ToolkitError(f"{name}: the PNG logo is {width} x {height} pixels; at most {LOGO_MAX_PIXELS} per side")
    return data


def _checked_svg(data: bytes, name: str) -> bytes:
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ToolkitError(f"{name}: the SVG logo declares entities or a DTD; refused") from None
    except ElementTree.ParseError as error:
        raise ToolkitError(f"{name}: the SVG logo is not well-formed XML ({error})") from None
    if root.tag != f"{_SVG_NS}svg":
        raise ToolkitError(f"{name}: the logo's root element is not an SVG <svg>")
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG_NS) if isinstance(element.tag, str) else "?"
        if tag.lower() not in _SVG_TAGS:
            raise ToolkitError(f"{name}: the SVG logo holds a <{tag}> element; refused (only shapes and text)")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise ToolkitError(f"{name}: the SVG logo has an event handler ({local}); refused")
            if (attribute == _XLINK or local == "href") and not value.startswith("#"):
                raise ToolkitError(f"{name}: the SVG logo links outside itself ({value[:60]!r}); refused")
            if _FETCHING.search(value):
                raise ToolkitError(f"{name}: the SVG logo's {local} fetches or runs something; refused")
        if element.text and tag.lower() not in ("text", "tspan", "title", "desc", "metadata") and \
                _FETCHING.search(element.text):
            raise ToolkitError(f"{name}: the SVG logo's <{tag}> fetches or runs something; refused")
    return data
