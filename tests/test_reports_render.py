"""Render a consultant workbook as a person sees it: LibreOffice to PDF, pdftoppm to PNG.

Needs `libreoffice-calc`, `poppler-utils` (and `fonts-crosextra-carlito` for Calibri's metrics).
Skipped on a developer machine without them; on CI (`CI` set) their absence is a failure. Set
`DDMT_RENDER_DIR` to keep the PDF and PNGs for looking at them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_document
from toolkit.reports.assessment_workbook import write_assessment_workbook

SAMPLE = "sample_ministries/belmara-mfa-2026.json"


def _tools() -> tuple[str, str, str]:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    to_png, info = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if not (office and to_png and info):
        if os.environ.get("CI"):
            pytest.fail("CI must install libreoffice-calc and poppler-utils to render the reports")
        pytest.skip("libreoffice or poppler-utils is not installed")
    return office, to_png, info


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "id"])
def test_workbook_renders_with_charts_and_readable_pages(repo_root, tmp_path, lang):
    office, to_png, to_text = _tools()
    keep = os.environ.get("DDMT_RENDER_DIR")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    assessment = load_document(repo_root / SAMPLE)
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    workbook = out / f"report-{lang}.xlsx"
    write_assessment_workbook(assessment, rubric, workbook, lang=lang, share="public")

    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no clash with a running office
    subprocess.run([office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(workbook)], check=True, timeout=240, capture_output=True)
    pdf = out / f"report-{lang}.pdf"
    assert pdf.stat().st_size > 10_000

    text = subprocess.run([to_text, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    titles = {"en": ("Assessment report", "Dimension scores", "Claimed", "Evidence-backed", "Public copy"),
              "id": ("Laporan asesmen", "Skor dimensi", "Klaim", "Berbasis bukti", "Salinan publik")}[lang]
    assert titles[0] in pages[0] and assessment.ministry.name in pages[0]
    # The charts are drawn: their titles and legends are text on the dimensions page.
    chart_page = next(k for k, page in enumerate(pages) if titles[1] in page)
    assert titles[2] in pages[chart_page] and titles[3] in pages[chart_page]
    assert all(titles[4] in page for page in pages if page.strip())  # the footer on every page

    subprocess.run([to_png, "-png", "-r", "70", "-f", "1", "-l", str(chart_page + 1), str(pdf),
                    str(out / f"report-{lang}")], check=True, timeout=120)
    pngs = sorted(out.glob(f"report-{lang}-*.png"))
    assert len(pngs) == chart_page + 1
    assert all(png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000 for png in pngs)
