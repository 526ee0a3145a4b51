"""Where the report templates live, and the one Jinja2 environment that renders them.

`reports/` beside the `toolkit` package (a checkout) or `toolkit/shipped_reports/` (a wheel, where
pyproject force-includes `reports/`), first match wins, as for the rubrics. The environment
autoescapes every template, whatever its name, and refuses undefined names: a ministry name, an
evidence description or a branding text is always text in a report, never markup. Only the SVG
charts drawn by `svg_charts` (which escape their own labels) are marked safe.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from toolkit.errors import ToolkitError
from toolkit.i18n.formatting import format_number, format_percent

_PACKAGE = Path(__file__).resolve().parents[1]


def reports_folder() -> Path:
    """The folder holding `templates/`, `styles/` and `branding.json`."""
    candidates = [_PACKAGE.parent / "reports"]
    shipped = files("toolkit").joinpath("shipped_reports")
    if isinstance(shipped, Path):
        candidates.append(shipped)
    for folder in candidates:
        if (folder / "templates").is_dir():
            return folder
    raise ToolkitError("the report templates are missing from this installation (reports/templates)")


@functools.cache
def environment() -> jinja2.Environment:
    """The report templates' environment: autoescape always on, undefined names an error."""
    folder = reports_folder()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([folder / "templates", folder / "styles"]),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    # Numbers in the report's language (37,5 in Indonesian) through the one formatter.
    env.filters["score"] = jinja2.pass_context(lambda context, value: format_number(value, context.get("lang", "en")))
    env.filters["percent"] = jinja2.pass_context(
        lambda context, value: format_percent(value, context.get("lang", "en"), floor=True))
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string (for page-margin boxes): quotes, backslashes, `<` and control
    characters as CSS hex escapes, so no text can close the string or the `<style>` element."""
    out = []
    for ch in str(text):
        out.append(f"\\{ord(ch):x} " if ch in '"\\<>' or ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 else ch)
    return Markup('"' + "".join(out) + '"')  # no & < > left to escape; quotes belong to CSS here



def branding_defaults() -> dict[str, Any]:
    """`reports/branding.json`: the default colours, font and logo path of every report."""
    path = reports_folder() / "branding.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ToolkitError(f"{path}: cannot read the branding defaults ({error})") from None


def render(template: str, **context: Any) -> str:
    """Render `template` (a file under reports/templates) with `context`."""
    return environment().get_template(template).render(**context)
