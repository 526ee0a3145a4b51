"""PDF reports: the HTML reports of `toolkit.reports.html` printed by WeasyPrint.

WeasyPrint lays out HTML and CSS (paged media: A4, running footers, repeated table headers) and
embeds the fonts it uses; the charts are inline SVG, so they stay vectors. It needs no browser,
only Pango from the system (`libpango-1.0-0 libpangoft2-1.0-0` on Debian). Nothing is fetched:
the page holds its styles, charts and logo, and the URL fetcher refuses every outside address.
"""

from __future__ import annotations

import logging
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.reports.html import assessment_report_html, comparison_report_html
from toolkit.reports.sharing import LeftOut


def html_to_pdf(page: str) -> bytes:
    """Print one report page to PDF bytes."""
    try:
        import weasyprint
    except OSError as error:  # Pango missing: say what to install, not a traceback
        raise ToolkitError(f"PDF reports need Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0): "
                           f"{error}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # the library never prints
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint.urls import URLFetcher

    # Only the page's own data: URIs (the logo); no file, no network, whatever a text might say.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=page, url_fetcher=fetcher).write_pdf()


def assessment_report_pdf(*args: Any, **kwargs: Any) -> tuple[bytes, LeftOut]:
    """The assessment report as PDF bytes (arguments as `assessment_report_html`)."""
    page, left_out = assessment_report_html(*args, **kwargs)
    return html_to_pdf(page), left_out


def comparison_report_pdf(*args: Any, **kwargs: Any) -> tuple[bytes, LeftOut]:
    """The comparison report as PDF bytes (arguments as `comparison_report_html`)."""
    page, left_out = comparison_report_html(*args, **kwargs)
    return html_to_pdf(page), left_out
