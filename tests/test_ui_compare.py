"""Compare page (AppTest): selection, rank table, charts, a tag's sub-index, and trends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from ui_support import PAGES, fresh_store, seeded_template, start, texts, ui_data  # noqa: F401  (fixtures)

from toolkit.engine.comparison import compare
from toolkit.engine.subindex import compare_by_tag
from toolkit.model.catalogue import find_rubric, newest

COMPARE = str(PAGES / "compare.py")
APP = f'''
import streamlit as st

st.session_state.setdefault("language", "en")
st.navigation([st.Page({str(PAGES / "home.py")!r}, title="Home", default=True),
               st.Page({COMPARE!r}, title="Compare")]).run()
'''
LATEST = ["belmara-mfa-2026", "calvessa-mfa-2026", "dravenia-mfa-2026", "maravu-mfa-2026",
          "oriandel-mfa-2025", "orrinth-mfa-2026-h2", "tumbaro-mfa-2026", "vantoria-mfa-2025"]
THREE = ["dravenia-mfa-2025", "oriandel-mfa-2025", "vantoria-mfa-2025"]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    script = tmp_path / "app.py"
    script.write_text(APP, encoding="utf-8")
    return script


def figures(at) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def engine(ids: list[str], tag: str | None = None):
    store = fresh_store()
    loaded = [store.load(key) for key in ids]
    rubric = newest(find_rubric(a.rubric_id, a.rubric_version) for a in loaded)  # 1.0.0 and 1.1.0 rounds
    return compare_by_tag(rubric, loaded, tag) if tag else compare(rubric, loaded)


def test_the_latest_round_of_each_ministry_is_ranked_by_default(ui_data, app):
    at = start(app, COMPARE)
    assert not at.exception and not at.error
    assert sorted(at.multiselect(key="compare_selected").value) == LATEST
    table = at.dataframe[0].value
    assert list(table.columns) == ["Rank", "Ministry", "Period", "Overall", "Stage", "Complete"]
    expected = engine(LATEST).to_dict()["assessments"]
    # belmara-mfa-2026, a draft below 80 % complete on 1.1.0, has no rank, and comes last: "—" as on the CLI
    assert [None if rank is pd.NA else rank for rank in table["Rank"]] == [row["rank"] for row in expected]
    assert expected[-1]["rank"] is None
    assert at.dataframe[0].proto.placeholder == "—"  # what the browser draws in an empty cell (seen in Chromium)
    assert list(table["Overall"]) == [f"{row['overall']['score']:.1f}" for row in expected]
    assert all(name.endswith(" †") for name in table["Ministry"])
    assert any("fictional" in text for text in texts(at))
    shown = figures(at)
    assert len(shown["Dimension scores"]["data"]) == len(LATEST)
    heat = shown["Ministries by dimension"]["data"][0]
    assert heat["type"] == "heatmap" and len(heat["z"]) == len(LATEST)
    # belmara, calvessa, dravenia, maravu, orrinth and tumbaro have several rounds (four across 1.0.0 and
    # 1.1.0): one trend line each.
    trend = shown["Overall score by period, every round of the chosen ministries"]
    assert len(trend["data"]) == 6


def test_choosing_assessments_and_a_tag_scores_the_sub_index(ui_data, app):
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(THREE).run()
    whole = at.dataframe[0].value
    assert len(whole) == 3
    # Dravenia's 2025 round (1.0.0) and 2026 round (1.1.0) make one trend, on the newest version
    assert len(figures(at)["Overall score by period, every round of the chosen ministries"]["data"]) == 1
    at.selectbox(key="compare_tag").set_value("lens:constructivism").run()
    assert not at.exception and not at.error
    narrowed = at.dataframe[0].value
    expected = engine(THREE, "lens:constructivism").to_dict()["assessments"]
    assert list(narrowed["Overall"]) == [f"{row['overall']['score']:.1f}" for row in expected]
    assert sorted(narrowed["Overall"]) != sorted(whole["Overall"])
    assert any(text.startswith("Sub-index lens\\:constructivism:") for text in texts(at))
    heat = figures(at)["Ministries by dimension"]["data"][0]
    sub_dimensions = len(engine(THREE, "lens:constructivism").rubric.dimensions)
    assert len(heat["x"]) == sub_dimensions < 8


def test_several_rounds_of_one_ministry_mix_periods_and_speak_indonesian(ui_data, app):
    at = start(app, COMPARE, language="id")
    choice = at.multiselect(key="compare_selected_id")  # one widget per language (toolkit/ui/choice.py)
    assert any(option.endswith(" · 2026 · Draf") for option in choice.options)
    choice.set_value(["tumbaro-mfa-2024", "tumbaro-mfa-2026"]).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table.columns) == ["Peringkat", "Kementerian", "Periode", "Keseluruhan", "Tahap", "Kelengkapan"]
    assert sorted(table["Periode"]) == ["2024", "2026"]
    assert all(re.fullmatch(r"\d+,\d", score) for score in table["Keseluruhan"])  # 19,6, never 19.6
    assert any("mencampur periode" in text for text in texts(at))
    trend = figures(at)["Skor keseluruhan per periode, semua putaran kementerian terpilih"]
    assert [trace["x"] for trace in trend["data"]] == [["2024", "2025", "2026"]]


def test_fewer_than_two_chosen_asks_for_more(ui_data, app):
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(["maravu-mfa-2025"]).run()
    assert not at.exception and not at.error
    assert "Choose at least two assessments." in [info.value for info in at.info]
    assert not at.dataframe


def test_minmax_normalisation_is_offered(ui_data, app):
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(THREE).run()
    at.radio(key="compare_normalisation").set_value("minmax").run()
    assert not at.exception and not at.error
    store = fresh_store()
    loaded = [store.load(key) for key in THREE]
    expected = compare(find_rubric("digital-diplomacy", "1.0.0"), loaded, "minmax").to_dict()["assessments"]
    assert list(at.dataframe[0].value["Overall"]) == [f"{row['overall']['score']:.1f}" for row in expected]


# research: bench and compare view

RANK_TITLE = "Rank over the draws: median and 5–95% interval"
STAGE_TITLE = "Share of draws in each stage"


def frame_with(at, column: str):
    """The first dataframe shown with this column."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_the_research_view_shows_intervals_stage_odds_and_sensitivity(ui_data, app):
    from toolkit.research.sensitivity import sensitivity
    from toolkit.research.uncertainty import uncertainty

    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(THREE).run()
    assert not at.exception and not at.error
    assert at.number_input(key="compare_draws").value == 1000
    assert at.number_input(key="compare_seed").value == 0
    assert at.slider(key="compare_spread").value == 0.25
    assert at.toggle(key="compare_switch").value is False
    comparison = engine(THREE)
    expected = uncertainty(comparison, 1000, 0)
    order = comparison.order()
    table = frame_with(at, "Rank 50%")
    assert list(table.columns) == ["Rank", "Ministry", "Period", "Rank 5%", "Rank 50%", "Rank 95%",
                                   "Score 5%", "Score 50%", "Score 95%", "Likeliest stage"]
    assert list(table["Rank 50%"]) == pytest.approx(expected.rank_percentiles[order, 1].tolist())
    assert list(table["Score 95%"]) == pytest.approx(expected.overall_percentiles[order, 2].tolist())
    shown = figures(at)
    ranks = shown[RANK_TITLE]["data"]
    assert ranks[0]["x"] == pytest.approx(expected.rank_percentiles[order, 1].tolist())
    stages = shown[STAGE_TITLE]["data"]
    assert len(stages) == 5 and all(trace["type"] == "bar" for trace in stages)
    assert [sum(trace["x"][row] for trace in stages) for row in range(3)] == pytest.approx([1, 1, 1])
    assert "Ministries by dimension" in shown  # the heatmap stays
    robust = sensitivity(comparison, 1, seed=0)
    loo = frame_with(at, "Mean absolute rank change")
    assert len(loo) == 8
    assert list(loo["Mean absolute rank change"]) == pytest.approx(
        robust.leave_one_out.mean_abs_rank_change.tolist())
    sobol = frame_with(at, "First order")
    # The aggregation is not switched by default, so it is no Sobol input of this run.
    assert list(sobol["Input"]) == ["Levels (by confidence)", "Dimension weights"]
    assert list(sobol["Total"]) == pytest.approx([robust.sobol[name].total for name in robust.sobol],
                                                 nan_ok=True)
    assert not at.get("progress")  # the bar is gone once the draws are done


def test_a_rerun_with_the_same_inputs_reads_the_cache(ui_data, app):
    from toolkit.ui import research

    at = start(app, COMPARE)  # the latest rounds: several ministries have trends
    runs = research.RUNS
    at.run()
    at.toggle(key="compare_trend_dimensions").set_value(True).run()  # another part of the page
    assert research.RUNS == runs
    first = list(frame_with(at, "Rank 50%")["Score 50%"])
    at.number_input(key="compare_seed").set_value(7).run()
    assert research.RUNS == runs + 1
    assert not at.exception and not at.error
    at.number_input(key="compare_seed").set_value(0).run()  # back to a remembered input
    assert research.RUNS == runs + 1
    assert list(frame_with(at, "Rank 50%")["Score 50%"]) == pytest.approx(first)
    assert len(at.session_state[research.CACHE_KEY]) == 2


def test_changed_settings_or_answers_run_the_draws_again(ui_data, app):
    from toolkit.ui import research

    draft = "belmara-mfa-2026"  # answers change only in a draft round
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value([draft, *THREE[:2]]).run()
    runs = research.RUNS
    at.slider(key="compare_spread").set_value(0.5).run()
    at.toggle(key="compare_switch").set_value(True).run()
    at.number_input(key="compare_draws").set_value(200).run()
    assert research.RUNS == runs + 3
    assert not at.exception and not at.error
    store = fresh_store()
    stored = store.answers(draft)
    indicator, current = next((key, value) for key, value in stored.items() if value.answer.level is not None)
    level = current.answer.level
    store.save_answer(draft, indicator, {"level": level - 1 if level else level + 1},
                      expected_version=current.version, user="tester")
    at.run()  # the last-updated stamp and the scored matrix changed: no stale intervals
    assert research.RUNS == runs + 4
    assert len(at.session_state[research.CACHE_KEY]) <= research.CACHE_SIZE


def test_the_research_view_speaks_indonesian(ui_data, app):
    at = start(app, COMPARE, language="id")
    at.multiselect(key="compare_selected_id").set_value(THREE).run()
    at.toggle(key="compare_switch").set_value(True).run()
    assert not at.exception and not at.error
    assert "Ketidakpastian dan sensitivitas" in [header.value for header in at.subheader]
    assert "Peringkat 50%" in frame_with(at, "Peringkat 50%").columns
    assert list(frame_with(at, "Orde pertama")["Masukan"])[-1] == "Agregasi"
    assert "Peringkat dari simulasi: median dan rentang 5–95%" in figures(at)


def test_the_input_key_covers_every_input_and_the_progress_reaches_one():
    from toolkit.cli.base import load_assessments
    from toolkit.ui.research import Settings, analyse, input_key

    loaded = load_assessments(sorted((PAGES.parents[2] / "sample_ministries").glob("*.json"))[:4], None)
    rubric = newest(rubric for _, rubric in loaded)
    comparison = compare(rubric, [a for a, _ in loaded])
    stamps = [(a.id, "2026-01-01T00:00:00.000Z") for a, _ in loaded]
    key = input_key(comparison, stamps, Settings(), tag=None)
    assert key == input_key(compare(rubric, [a for a, _ in loaded]), stamps, Settings(), tag=None)
    others = {
        input_key(comparison, [*stamps[:-1], (stamps[-1][0], "2026-01-02T00:00:00.000Z")], Settings(), tag=None),
        input_key(comparison, stamps, Settings(seed=1), tag=None),
        input_key(comparison, stamps, Settings(spread=0.3), tag=None),
        input_key(comparison, stamps, Settings(switch_aggregation=True), tag=None),
        input_key(comparison, stamps, Settings(draws=999), tag=None),
        input_key(comparison, stamps, Settings(), tag="lens:constructivism"),
        input_key(compare(rubric, [a for a, _ in loaded], "minmax"), stamps, Settings(), tag=None),
    }
    assert key not in others and len(others) == 7
    seen: list[float] = []
    found = analyse(comparison, Settings(draws=200), seen.append)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0) and len(seen) >= 2
    assert found.uncertainty.draws == 200 and found.uncertainty.overall_draws.size == 0  # summaries only
    assert found.sensitivity.leave_one_out.depth == 1


# research: consistency

def test_the_consistency_section_shows_warnings_alpha_correlations_and_coverage(ui_data, app):
    from toolkit.research.consistency import consistency
    from toolkit.ui.text import escape_markdown

    at = start(app, COMPARE)  # the latest rounds: 2025 and 2026 are mixed
    assert not at.exception and not at.error
    assert "Consistency of the comparison" in [header.value for header in at.subheader]
    checks = consistency(engine(LATEST))
    expected = "\n".join(["Check these before reading the ranks:", "",
                          *[f"- {escape_markdown(text)}" for text in checks.warning_texts("en")]])
    assert expected in [warning.value for warning in at.warning]
    assert "The comparison mixes periods 2025, 2026" in expected.replace("\\", "")
    alpha = frame_with(at, "Alpha")
    assert list(alpha.columns) == ["Dimension", "Indicators", "Assessments used", "Alpha"]
    assert list(alpha["Alpha"]) == pytest.approx(checks.alpha["alpha"].tolist())
    assert list(alpha["Assessments used"]) == checks.alpha["assessments"].tolist()
    heat = figures(at)["Correlations between the overall and dimension scores (Pearson r)"]["data"][0]
    assert heat["type"] == "heatmap" and (heat["zmin"], heat["zmax"]) == (-1, 1)
    assert heat["y"][0] == "Overall" and len(heat["z"]) == 9
    assert heat["z"][0][1] == pytest.approx(checks.node_correlations.loc["overall", "instruments"])
    coverage = frame_with(at, "r with its dimension")
    assert len(coverage) == len(checks.coverage)
    assert list(coverage["Coverage"]) == pytest.approx((100 * checks.coverage["coverage"]).tolist())


def test_the_consistency_section_speaks_indonesian(ui_data, app):
    at = start(app, COMPARE, language="id")
    at.multiselect(key="compare_selected_id").set_value(["tumbaro-mfa-2024", "tumbaro-mfa-2026"]).run()
    assert not at.exception and not at.error
    assert "Konsistensi perbandingan" in [header.value for header in at.subheader]
    shown = [warning.value.replace("\\", "") for warning in at.warning]
    box = next(text for text in shown if text.startswith("Periksa hal-hal berikut sebelum membaca peringkat:"))
    assert "- Korelasi dan alfa Cronbach memerlukan sedikitnya 3 asesmen, sedangkan perbandingan ini hanya memuat 2" in box
    assert "- Perbandingan ini mencampur periode 2024, 2026: peringkat membandingkan putaran" in box
    assert list(frame_with(at, "Alfa").columns) == ["Dimensi", "Indikator", "Asesmen dipakai", "Alfa"]
    assert "r dengan dimensinya" in frame_with(at, "r dengan dimensinya").columns
    # Two assessments: no correlation is defined, so no empty heatmap is drawn.
    assert not any("Korelasi antara" in title for title in figures(at))


def test_the_consistency_check_is_cached_apart_from_the_draws(ui_data, app):
    from toolkit.ui import research

    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(THREE).run()
    runs, draws = research.CONSISTENCY_RUNS, research.RUNS
    at.number_input(key="compare_seed").set_value(5).run()  # new draws, the same consistency
    assert (research.CONSISTENCY_RUNS, research.RUNS) == (runs, draws + 1)
    at.multiselect(key="compare_selected").set_value(THREE[:2] + ["maravu-mfa-2025"]).run()
    assert research.CONSISTENCY_RUNS == runs + 1
    at.multiselect(key="compare_selected").set_value(THREE).run()  # a remembered input
    assert research.CONSISTENCY_RUNS == runs + 1
    assert not at.exception and not at.error
    assert len(at.session_state[research.CONSISTENCY_CACHE_KEY]) == 3  # the first choice too


HOSTILE = '''
import streamlit as st
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric
from toolkit.engine.comparison import compare
from toolkit.ui.research import consistency_section

rubric = find_rubric("digital-diplomacy", "1.0.0")
periods = ["**2025** <b>x</b>", "[click](javascript:alert(1))", "2026 :red[y] $z$"]
batch = [Assessment.from_dict({
    "kind": "assessment", "format_version": 1, "id": f"a{k}", "rubric": {"id": rubric.id, "version": rubric.version},
    "ministry": {"id": f"m{k}", "name": "<script>x</script>", "country": "X"}, "period": period,
    "date": "2026-01-01", "status": "draft", "assessors": [], "answers": {}}) for k, period in enumerate(periods)]
consistency_section(compare(rubric, batch), "hostile", st.session_state.get("language", "en"))
'''


def test_consistency_warnings_show_document_text_as_written():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(HOSTILE, default_timeout=30).run()
    assert not at.exception
    box = next(warning.value for warning in at.warning if "mixes periods" in warning.value)
    assert "**2025**" not in box and "\\*\\*2025\\*\\*" in box
    assert "](javascript" not in box and "\\]\\(javascript" in box
    assert ":red[" not in box and "$z$" not in box
    assert "\\<b\\>x\\<\\/b\\>" in box
    # Nothing answered: every indicator is thin; the box keeps the first ten, the rest fold away.
    assert box.count("\n- ") == 10
    assert at.expander[0].label == "50 more warnings"  # mixed periods, 8 alphas, 51 indicators


def test_the_workbook_download_asks_whose_evidence_and_defaults_to_none(ui_data, app):
    at = start(app, COMPARE)
    owners = at.multiselect(key="compare_evidence_of")
    assert owners.value == [] and sorted(owners.options) == sorted(
        f"{engine([aid]).assessments[0].ministry.marked_name} ({engine([aid]).assessments[0].period})"
        for aid in LATEST)
    owners.set_value(["maravu-mfa-2026"]).run()
    assert not at.exception and not at.error
    assert at.multiselect(key="compare_evidence_of").value == ["maravu-mfa-2026"]
    labels = [button.label for button in at.get("download_button")]
    assert "Comparison workbook (.xlsx)" in labels and "Comparison report (.pdf)" in labels


def test_the_comparison_report_downloads_take_branding_and_come_as_pdf_and_html(ui_data, app):
    from toolkit.reports.branding import Branding
    from toolkit.ui.pages.compare import _report

    at = start(app, COMPARE)
    at.text_input(key="compare_prepared_by").input("Acme <b>Advisory</b>").run()
    at.text_input(key="compare_prepared_for").input("Maravu MFA").run()
    assert not at.exception and not at.error
    labels = [button.label for button in at.get("download_button")]
    assert "Comparison report (.pdf)" in labels and "Comparison report (.html)" in labels
    comparison = engine(THREE)
    branding = Branding(prepared_by="Acme <b>Advisory</b>", prepared_for="Maravu MFA", colours={"brand": "#1F3864"})
    page = _report(comparison, comparison.assessments, "id", [], branding, "html").decode()
    assert "Acme &lt;b&gt;Advisory&lt;/b&gt;" in page and "Maravu MFA" in page and "<b>Advisory" not in page
    assert _report(comparison, comparison.assessments, "en", [], branding, "pdf").startswith(b"%PDF")


def test_a_refused_logo_on_the_compare_page_is_named_and_no_report_is_offered(ui_data, app):
    at = start(app, COMPARE)
    at.file_uploader(key="compare_logo").upload("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
                                                "image/svg+xml")
    at.run()
    assert not at.exception
    assert at.error[0].value == "This logo cannot be used:"
    assert "event handler (onload)" in " ".join(texts(at))
    labels = [button.label for button in at.get("download_button")]
    assert "Comparison workbook (.xlsx)" in labels  # the workbook carries no branding
    assert not {"Comparison report (.pdf)", "Comparison report (.html)"} & set(labels)
