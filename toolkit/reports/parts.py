"""Pieces both workbooks share: labels in the chosen language, the sharing lines, the methodology
sheet, the evidence register and the tidy data sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from toolkit.engine.rating import stage_text
from toolkit.i18n import t
from toolkit.model.assessment import Assessment, Evidence
from toolkit.model.rubric import Indicator, Node, Rubric, text_in
from toolkit.reports.model import Cell, Sheet, Workbook
from toolkit.reports.sharing import LeftOut

DASH = "—"
DATA_COLUMNS = ("assessment", "node", "depth", "score", "evidence_score", "stage", "completeness", "status")
_SENSITIVITY_ORDER = ("public", "internal", "restricted")


# ------------------------------------------------------------------------------------------ labels

def status_text(status: str | None, lang: str) -> str:
    """answered / missing / na in words."""
    return t(f"xl_status_{status}", lang) if status in ("answered", "missing", "na") else DASH


def workflow_text(status: str, lang: str) -> str:
    """draft / submitted / reviewed in words."""
    return t(f"status_{status}", lang) if status in ("draft", "submitted", "reviewed") else status


def confidence_text(confidence: str | None, lang: str) -> str:
    return t(f"confidence_{confidence}", lang) if confidence in ("high", "medium", "low") else DASH


def sensitivity_text(sensitivity: str | None, lang: str) -> str:
    return t(f"sensitivity_{sensitivity}", lang) if sensitivity in _SENSITIVITY_ORDER else str(sensitivity)


def kind_text(kind: str, lang: str) -> str:
    return t(f"evidence_{kind}", lang) if kind in ("url", "text", "file") else kind


def stage_label(rubric: Rubric, stage_id: str | None, lang: str, completeness: float | None = None) -> str:
    """A stage's label, "not rated: ..." when the completeness rule withheld it (SPEC 11), else a dash."""
    return stage_text(rubric, stage_id, completeness, lang, empty=DASH)


def level_text(rubric: Rubric, level: int | None, lang: str) -> str:
    """`3 · Established`, or a dash for no level."""
    if level is None:
        return DASH
    return f"{level} · {rubric.level_label(level, lang)}"


def ministry_name(assessment: Assessment) -> str:
    return assessment.ministry.marked_name


def header_line(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


# ----------------------------------------------------------------------------------------- sharing

def sharing_text(level: str, lang: str) -> str:
    return t(f"xl_share_{level}", lang)


def confidentiality_text(level: str, lang: str) -> str:
    return t(f"xl_confidential_{level}", lang)


def footer_text(level: str, lang: str) -> str:
    return t(f"xl_footer_{level}", lang)


def left_out_text(left_out: LeftOut, lang: str) -> str:
    """What a sharing level removed, in words: `3 evidence item(s) (2 Internal, 1 Restricted)...`."""
    if not left_out.count:
        return t("xl_left_out_none", lang)
    what = ", ".join(f"{n} {sensitivity_text(s, lang)}" for s in _SENSITIVITY_ORDER
                     if (n := left_out.by_sensitivity.get(s, 0)))
    others = sum(n for s, n in left_out.by_sensitivity.items() if s not in _SENSITIVITY_ORDER)
    if others:
        what = ", ".join(filter(None, [what, f"{others} ?"]))
    return t("xl_left_out_count", lang, count=left_out.count, what=what)


def summary_pairs(sheet: Sheet, pairs: Iterable[tuple[str, Cell | Any]]) -> None:
    """Label/value rows: the label in column A, the value (styled as given) in column B."""
    for label, value in pairs:
        sheet.append(Cell(label, "label"), value if isinstance(value, Cell) else Cell(value, "wrap"))


def setup_print(sheet: Sheet, header: str, footer: str, title_rows: int | None = 1) -> None:
    sheet.header, sheet.footer, sheet.print_title_rows = header, footer, title_rows


# ------------------------------------------------------------------------------------ methodology

def methodology_sheet(book: Workbook, rubric: Rubric, normalisation: str, lang: str,
                      header: str, footer: str) -> Sheet:
    """Formulas, scale, stages, evidence cap and every weight of the rubric."""
    sheet = book.add_sheet(t("xl_sheet_methodology", lang))
    setup_print(sheet, header, footer, None)
    sheet.column_widths([26, 44, 20, 10, 14, 14, 18])
    sheet.append(Cell(t("xl_method_title", lang), "title"))
    sheet.append(Cell(f"{text_in(rubric.title, lang)} — {rubric.id} {rubric.version}", "subtitle"))
    sheet.blank()
    top = rubric.max_level
    cap = rubric.unsupported_cap
    summary_pairs(sheet, [
        (t("xl_rubric", lang), Cell(f"{rubric.id} {rubric.version}", "text")),
        (t("xl_normalisation", lang), Cell(normalisation, "text")),
        (t("xl_evidence_cap", lang), Cell(
            t("xl_cap_text", lang, cap=cap, label=rubric.level_label(cap, lang)) if cap is not None
            else t("xl_no_cap", lang), "text")),
    ])
    sheet.blank()
    sheet.append(Cell(t("xl_formulas", lang), "subtitle"))
    for key in ("level", "metric", "arithmetic", "geometric", "missing", "stage", "gap", "coverage"):
        sheet.append(Cell(t(f"xl_formula_{key}", lang, top=top), "text"))
    sheet.line(t("xl_no_formulas", lang), "note", 7)
    sheet.blank()

    sheet.append(Cell(t("xl_scale", lang), "subtitle"))
    sheet.table([t("xl_level", lang), t("xl_label", lang)],
                [(level.value, text_in(level.label, lang)) for level in rubric.scale], ["integer", "text"])
    sheet.blank()
    sheet.append(Cell(t("xl_stages", lang), "subtitle"))
    sheet.table([t("xl_min_score", lang), t("stage", lang), t("xl_description", lang)],
                [(stage.min_score, text_in(stage.label, lang), text_in(stage.description, lang))
                 for stage in rubric.stages], ["score", "text", "text"])
    sheet.blank()
    sheet.append(Cell(t("xl_weights", lang), "subtitle"))
    sheet.table([t("xl_id", lang), t("xl_indicator", lang) + " / " + t("dimension", lang), t("xl_type", lang),
                 t("xl_weight", lang), t("xl_aggregation", lang), t("xl_share_parent", lang),
                 t("xl_share_overall", lang)],
                weight_rows(rubric, lang),
                ["text", "text", "text", "weight", "text", "share", "share"])
    sheet.blank()
    sheet.line(t("xl_data_note", lang), "note", 7)
    return sheet


def weight_rows(rubric: Rubric, lang: str) -> list[tuple[Any, ...]]:
    """Every node and indicator with its weight, its share of its parent and of the overall score
    when every indicator is answered (the nominal shares; N/A and missing answers shift them)."""
    rows: list[tuple[Any, ...]] = []

    def walk(children: Sequence[Node | Indicator], share: float, depth: int) -> None:
        total = sum(child.weight for child in children)
        for child in children:
            part = child.weight / total if total else 0.0
            indent = "  " * depth
            if isinstance(child, Node):
                rows.append((child.id, indent + text_in(child.title, lang), t("xl_type_node", lang), child.weight,
                             t(f"xl_agg_{child.aggregation}", lang), part, share * part))
                walk(child.children, share * part, depth + 1)
            else:
                kind = "xl_type_metric" if child.is_metric else "xl_type_level"
                rows.append((child.id, indent + text_in(child.title, lang), t(kind, lang), child.weight,
                             None, part, share * part))

    walk(rubric.dimensions, 1.0, 0)
    return rows


# ----------------------------------------------------------------------------------- evidence

def evidence_value(item: Evidence, lang: str) -> Cell:
    """The value column of the register: a link for a URL, the text, or the file's name and hash."""
    if item.kind == "url":
        return Cell(item.value or "", "link", link=item.value)
    if item.kind == "file":
        return Cell(t("xl_file_value", lang, name=item.name or DASH, sha=(item.sha256 or "")[:12]), "wrap")
    return Cell(item.value or "", "wrap")


def evidence_rows(assessment: Assessment, rubric: Rubric, lang: str,
                  lead: Sequence[Cell] = ()) -> Iterable[list[Cell]]:
    """One row per evidence item of an (already shared) assessment, in rubric order."""
    for indicator in rubric.indicators():
        answer = assessment.answers.get(indicator.id)
        if answer is None:
            continue
        title = text_in(indicator.title, lang)
        for item in answer.evidence:
            yield [*lead, Cell(indicator.id, "text"), Cell(title, "wrap"), Cell(kind_text(item.kind, lang), "text"),
                   Cell(item.description or "", "wrap"), evidence_value(item, lang),
                   Cell(item.added_by or "", "wrap"), Cell(item.added_at or "", "text"),
                   Cell(sensitivity_text(item.sensitivity, lang), "text")]


def evidence_headers(lang: str) -> list[str]:
    return [t("xl_id", lang), t("xl_indicator", lang), t("xl_kind", lang), t("xl_description", lang),
            t("xl_value", lang), t("xl_added_by", lang), t("xl_added_at", lang), t("xl_sensitivity", lang)]


EVIDENCE_WIDTHS = [20, 34, 12, 40, 50, 24, 20, 12]


# ---------------------------------------------------------------------------------------- data

def data_sheet(book: Workbook, records: Iterable[Mapping[str, Any]], rubric: Rubric, lang: str,
               header: str, footer: str) -> Sheet:
    """The tidy long table: one row per assessment x node (the root is `overall`, depth 0)."""
    sheet = book.add_sheet(t("xl_sheet_data", lang))
    setup_print(sheet, header, footer)
    nodes = list(rubric.nodes())
    styles = ["text", "text", "integer", "score", "score", "text", "percent", "text"]

    def rows() -> Iterable[tuple[Any, ...]]:
        for record in records:
            overall = record["overall"]
            yield (record["assessment"], "overall", 0, overall["score"], overall["evidence_score"],
                   overall["stage"], overall["completeness"], _root_status(overall))
            for node, depth in nodes:
                item = record["nodes"][node.id]
                yield (record["assessment"], node.id, depth, item["score"], item["evidence_score"],
                       item["stage"], item["completeness"], item["status"])

    area = sheet.table(DATA_COLUMNS, rows(), styles)
    sheet.freeze = (2, 1)
    sheet.autofilter = type(area)(1, 1, area.last_row, area.last_col)
    sheet.column_widths([24, 24, 7, 9, 14, 14, 13, 10])
    return sheet


def _root_status(overall: Mapping[str, Any]) -> str:
    """The root's status by the node rule: scored, else N/A if nothing applies, else missing."""
    if overall["score"] is not None:
        return "answered"
    return "na" if overall["completeness"] is None else "missing"
