"""PDF and HTML reports: A4 pages with embedded fonts, the summary, charts, roadmap and footer in
both languages; comparisons carrying only the evidence asked for; no stored text ever read as HTML.

PDF checks read the file as a person's tools do: `pdftotext`, `pdfinfo`, `pdffonts` (poppler-utils;
skipped on a developer machine without them, a failure on CI)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from markupsafe import escape as html_escape
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from toolkit.cli import main as cli
from toolkit.engine.comparison import compare
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number
from toolkit.model.assessment import Evidence
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.documents import load_document
from toolkit.reports.branding import Branding, load_logo
from toolkit.reports.html import assessment_report_html, comparison_report_html, default_branding
from toolkit.reports.pdf import html_to_pdf
from toolkit.reports.summary import assessment_facts
from toolkit.reports.svg_charts import bars, legend_labels

CURRENT, PREVIOUS = "maravu-mfa-2025.json", "maravu-mfa-2024.json"
PEERS = ("maravu-mfa-2025.json", "belmara-mfa-2025.json", "tumbaro-mfa-2025.json")
def str_escape(text: str) -> str:
    """As Jinja2's autoescape writes it."""
    return str(html_escape(text))


MARKUP = '<b id="x">bold</b><script>alert(1)</script><img src=x onerror=alert(2)>'


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        if os.environ.get("CI"):
            pytest.fail("CI must install poppler-utils")
        pytest.skip("poppler-utils is not installed")
    return found


def pdf_text(path: Path) -> list[str]:
    out = subprocess.run([poppler("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run([poppler("pdfinfo"), str(path)], check=True, capture_output=True, text=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def fonts_embedded(path: Path) -> list[tuple[str, str]]:
    out = subprocess.run([poppler("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    return [(line.split()[0], line.split()[-5]) for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def maravu(repo_root):
    now = load_document(repo_root / "sample_ministries" / CURRENT)
    before = load_document(repo_root / "sample_ministries" / PREVIOUS)
    rubric = find_rubric(now.rubric_id, now.rubric_version)
    return now, before, rubric


@pytest.fixture(scope="module")
def pdfs(maravu, tmp_path_factory):
    """The assessment report in both languages, with the previous round, as PDF files."""
    now, before, rubric = maravu
    folder = tmp_path_factory.mktemp("pdf")
    branding = default_branding().with_text("Acme Advisory (fictional)", "Client Ministry")
    found = {}
    for lang in ("en", "id"):
        page, _ = assessment_report_html(now, rubric, lang=lang, share="internal", branding=branding,
                                         previous=(before, rubric))
        found[lang] = folder / f"report-{lang}.pdf"
        found[lang].write_bytes(html_to_pdf(page))
    return found


@pytest.mark.parametrize("lang", ["en", "id"])
def test_assessment_pdf_is_a4_with_fonts_embedded_and_the_report_in_it(pdfs, maravu, lang):
    now, before, rubric = maravu
    path = pdfs[lang]
    info = pdf_info(path)
    assert info["Page size"].startswith("595.") and "841.89" in info["Page size"]  # A4 in points
    pages = pdf_text(path)
    assert int(info["Pages"]) == len(pages) and 8 <= len(pages) <= 30
    assert fonts_embedded(path) and all(emb == "yes" for _, emb in fonts_embedded(path))
    text = "\n".join(pages)
    flat = " ".join(text.split())
    facts = assessment_facts(now, rubric, lang, (before, rubric))
    assert t("rp_assessment_title", lang) in pages[0] and now.ministry.name in pages[0]
    assert "Acme Advisory (fictional)" in pages[0] and "Client Ministry" in pages[0]
    assert t("rp_summary", lang) in pages[1]
    assert format_number(facts.score, lang) in pages[1] and facts.stage in pages[1]  # 37,5 in Indonesian
    for d in facts.strongest + facts.weakest:
        assert d["title"] in flat
    assert t("rp_roadmap", lang) in text and facts.steps[0].indicator in flat
    assert t("rp_trend", lang) in text and f"{facts.previous['delta']:+.1f}" in text
    assert t("xl_radar_title", lang) in text  # the charts' titles are vector text
    footer = t("xl_footer_internal", lang)
    assert all(footer in page for page in pages)  # the sharing level on every page
    last = len(pages)
    assert f"{t('rp_page', lang)} {last} {t('rp_of', lang)} {last}" in pages[-1]
    # Seen on the rendered pages: metric steps printed "None · None" with no action (issue 14, item 8).
    assert not re.search(r"\bNone\b|\bnan\b", text)
    metric = next(step for step in facts.steps if step.current != "—" and "·" not in step.current)
    assert t("roadmap_reach_value", lang, value="", unit="").split()[0] in metric.action
    if lang == "id":  # no English heading or phrase in the Indonesian report
        english = [t(key, "en") for key in ("rp_summary", "rp_roadmap", "rp_trend", "xl_radar_title",
                                            "xl_footer_internal", "rp_page")]
        assert not [phrase for phrase in english if phrase in text]
        assert not re.search(r"\b(the stage|points|Since the|strongest|weakest)\b", text)


def test_the_summary_says_what_the_results_say(maravu):
    now, before, rubric = maravu
    facts = assessment_facts(now, rubric, "en", (before, rubric))
    scores = [d["score"] for d in facts.dimensions if d["score"] is not None]
    assert facts.strongest[0]["score"] == max(scores) and facts.weakest[0]["score"] == min(scores)
    page, _ = assessment_report_html(now, rubric, previous=(before, rubric))
    summary = page.split(t("rp_summary", "en"), 1)[1].split("</section>", 1)[0]
    assert str_escape(f"{facts.strongest[0]['title']} ({facts.strongest[0]['score']:.1f})") in summary
    gap = facts.score - facts.evidence_score
    assert f"{gap:.1f} points below the claimed {facts.score:.1f}" in summary
    assert f"from {facts.previous['before']:.1f} to {facts.score:.1f}" in summary
    for step in facts.steps[:5]:
        assert str_escape(step.indicator) in summary


def test_markup_in_every_stored_field_stays_text(maravu):
    """Ministry, period, answers' notes, evidence and branding carrying markup: escaped everywhere."""
    now, before, rubric = maravu
    ministry = dataclasses.replace(now.ministry, name=MARKUP, country=MARKUP)
    answers = {}
    for key, answer in now.answers.items():
        items = tuple(dataclasses.replace(item, description=MARKUP, value=MARKUP if item.kind != "file" else item.value,
                                          name=MARKUP if item.kind == "file" else item.name)
                      for item in answer.evidence) or (Evidence("text", MARKUP, description=MARKUP, sensitivity="public"),)
        answers[key] = dataclasses.replace(answer, evidence=items, notes=MARKUP, na_reason=answer.na_reason and MARKUP)
    hostile = dataclasses.replace(now, ministry=ministry, period=MARKUP, answers=answers)
    branding = Branding(prepared_by=MARKUP, prepared_for=MARKUP, colours=default_branding().colours, font=MARKUP)
    for page in (assessment_report_html(hostile, rubric, share="all", branding=branding)[0],
                 comparison_report_html(compare(rubric, [hostile, before]), rubric, [hostile, before], share="all",
                                        evidence_of="all", branding=branding)[0]):
        assert "<script>" not in page and "<b id=" not in page and "<img src=x" not in page
        assert str_escape(MARKUP) in page
        assert page.count("<svg") >= 2  # the charts are there, their labels escaped inside
        assert "&lt;b id=" in page.split("<svg", 1)[1]


def test_comparison_pdf_keeps_peers_evidence_out(repo_root, tmp_path):
    paths = [repo_root / "sample_ministries" / name for name in PEERS]
    peers = [load_document(path) for path in paths]
    client = peers[0]
    out = tmp_path / "cmp.pdf"
    assert cli.main(["compare", *map(str, paths), "--pdf", str(out), "--html", str(tmp_path / "cmp.html"),
                     "--client", client.id, "--evidence-of", client.id, "--share", "all",
                     "--prepared-by", "Acme Advisory (fictional)"]) == 0
    pages = pdf_text(out)
    text = " ".join(" ".join(pages).split())
    assert pdf_info(out)["Page size"].startswith("595.")
    assert all(emb == "yes" for _, emb in fonts_embedded(out))
    for peer in peers:
        assert peer.ministry.name in text
    assert t("rp_leader_gaps", "en") in text and t("rp_client_position", "en") in text
    page = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    mine = {item.description for a in client.answers.values() for item in a.evidence if item.description}
    theirs = {item.description for p in peers[1:] for a in p.answers.values() for item in a.evidence
              if item.description} - mine
    assert theirs and not [d for d in theirs if str_escape(d) in page]
    assert [d for d in mine if str_escape(d) in page]


def test_comparison_without_evidence_of_carries_none(repo_root, tmp_path):
    peers = [load_document(repo_root / "sample_ministries" / name) for name in PEERS]
    rubric = find_rubric(peers[0].rubric_id, peers[0].rubric_version)
    page, _ = comparison_report_html(compare(rubric, peers), rubric, peers, share="all")
    every = {item.description for p in peers for a in p.answers.values() for item in a.evidence if item.description}
    assert every and not [d for d in every if str_escape(d) in page]
    assert t("rp_evidence", "en") not in page


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a....", "is not a PNG or SVG image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (9000).to_bytes(4, "big") * 2 + b"\x08\x06\x00\x00\x00" + b"CRC!",
     "9000 x 9000 pixels"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "holds a <script> element"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler (onload)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><use x:href="http://e/x.svg#a"/>'
     b'</svg>', "links outside itself"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://e/p)"/></svg>', "fetches or runs"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<foreignObject>"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DTD"),
    (b"<svg" + b" " * 1_000_001, "at most 1 MB"),
])
def test_bad_logos_are_refused_by_name(data, message):
    with pytest.raises(ToolkitError, match=re.escape(message)) as caught:
        load_logo(data, "logo.svg")
    assert str(caught.value).startswith("logo.svg: ")


def test_a_plain_svg_logo_lands_on_the_cover(maravu):
    now, _, rubric = maravu
    logo = load_logo(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/>'
                     b'</svg>', "logo.svg")
    page, _ = assessment_report_html(now, rubric, branding=dataclasses.replace(default_branding(), logo=logo))
    assert f'src="{logo.data_uri}"' in page


def test_cli_report_usage_and_bad_logo(repo_root, tmp_path, capsys):
    sample = str(repo_root / "sample_ministries" / CURRENT)
    assert cli.main(["report", sample]) == 2
    assert "name at least one output" in capsys.readouterr().err
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"<html>not an image</html>")
    assert cli.main(["report", sample, "--pdf", str(tmp_path / "r.pdf"), "--logo", str(bad)]) == 1
    assert f"{bad}: the logo is not a PNG or SVG image" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()
    assert cli.main(["report", sample, "--html", str(tmp_path / "r.htm")]) == 1
    assert "the report name must end in .html" in capsys.readouterr().err


def test_templates_ship_with_the_package(repo_root):
    text = (repo_root / "pyproject.toml").read_text(encoding="utf-8")
    for part in ("reports/templates", "reports/styles", "reports/branding.json"):
        assert f'"{part}" = "toolkit/shipped_reports/' in text
    assert copy.deepcopy(default_branding().colours)["brand"].startswith("#")


def test_triggered_gates_are_named_in_the_summary(repo_root, tmp_path, capsys):
    """On rubric 1.1 (gates), a round that fails a critical control says which, and what it caps."""
    assert cli.main(["migrate", str(repo_root / "sample_ministries" / CURRENT), "--to", "1.1.0",
                     "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    migrated = load_document(tmp_path / CURRENT)
    rubric = find_rubric(migrated.rubric_id, migrated.rubric_version)
    assert rubric.gates
    for lang in ("en", "id"):
        facts = assessment_facts(migrated, rubric, lang)
        record_gates = facts.record["gates"]["claimed"]
        assert record_gates and len(facts.gates) == len(record_gates)
        page, _ = assessment_report_html(migrated, rubric, lang=lang)
        gate = next(g for g in rubric.gates if g.id == record_gates[0])
        title = gate.title[lang] if gate.title else gate.id
        assert str_escape(t("rp_sum_gates", lang, count=len(record_gates), gates="; ".join(facts.gates))) in page
        assert str_escape(title) in page
    untouched = load_document(repo_root / "sample_ministries" / CURRENT)  # rubric 1.0: no gates, no sentence
    assert assessment_facts(untouched, find_rubric("digital-diplomacy", "1.0.0"), "en").gates is None


def test_legend_entries_of_ministries_stay_apart():
    """Cut at the end, eight "Ministry of Foreign Affairs of the Fed…" entries looked alike on the printed page."""
    names = ["Ministry of Foreign Affairs of the Federated States of Calvessa † (2025)",
             "Ministry of Foreign Affairs of the Federation of Vantoria † (2025)",
             "Ministry of Foreign Affairs of the Republic of Maravu † (2025)"]
    labels = legend_labels(names)
    assert len(set(labels)) == 3 and all(len(label) <= 40 for label in labels)
    assert labels[2] == "… Republic of Maravu † (2025)"
    assert legend_labels(["Claimed", "Evidence-backed"]) == ["Claimed", "Evidence-backed"]
    svg = bars(["Instruments"], [(name, [50.0]) for name in names])
    assert all(str(html_escape(label)) in svg for label in labels)


@pytest.mark.parametrize(("lang", "expected"), [("en", "7 December 2026"), ("id", "7 Desember 2026")])
def test_the_report_is_dated_in_its_own_language(maravu, lang, expected):
    assessment, _, rubric = maravu
    html, _ = assessment_report_html(assessment, rubric, lang=lang, generated=dt.date(2026, 12, 7))
    assert html.count(expected) >= 2  # the cover's table and every page's footer line
    assert "2026-12-07" not in html


def test_the_clients_rank_is_told_among_the_ranked_rounds(repo_root):
    """Belmara 2026 is below the completeness rule: 17 rounds, 16 ranked, so the client ranks "of 16"."""
    rounds = [load_document(path) for path in sorted((repo_root / "sample_ministries").glob("*.json"))]
    rubric = newest(find_rubric(a.rubric_id, a.rubric_version) for a in rounds)
    comparison = compare(rubric, rounds)
    client = next(a for a in rounds if a.id == "belmara-mfa-2025")
    assert len(rounds) == 17 and len(comparison.unranked) == 1
    page, _ = comparison_report_html(comparison, rubric, rounds, client=client.id)
    rank = next(row["rank"] for row in comparison.to_dict()["assessments"] if row["assessment"] == client.id)
    assert f"ranks {rank} of 16, with" in page and "of 17, with" not in page


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _overflowing_words(page: str) -> list[str]:
    """Words WeasyPrint lays out past the right edge of their table cell (into the next column)."""
    import weasyprint
    from weasyprint.formatting_structure.boxes import TableCellBox, TextBox

    found = []
    for laid_out in weasyprint.HTML(string=page).render().pages:
        for cell in _boxes(laid_out._page_box):
            if isinstance(cell, TableCellBox):
                right = cell.content_box_x() + cell.width
                found += [text.text for text in _boxes(cell)
                          if isinstance(text, TextBox) and text.position_x + text.width > right + 0.5]
    return found


@pytest.mark.parametrize("lang", ["en", "id"])
def test_no_word_runs_out_of_its_table_cell(repo_root, maravu, lang):
    """Indonesian headers hold long words ("ketergantungan"): they break with hyphens, not into the next column."""
    now, before, rubric = maravu
    rounds = [load_document(path) for path in sorted((repo_root / "sample_ministries").glob("*.json"))]
    newer = newest(find_rubric(a.rubric_id, a.rubric_version) for a in rounds)
    assert _overflowing_words(assessment_report_html(now, rubric, lang=lang, previous=(before, rubric))[0]) == []
    assert _overflowing_words(comparison_report_html(compare(newer, rounds), newer, rounds, lang=lang)[0]) == []
