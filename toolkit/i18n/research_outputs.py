"""Interface strings for research outputs (SPEC 13): the publication figures and the bundle."""

STRINGS: dict[str, dict[str, str]] = {
    "fig_rank_title": {"en": "Rank under uncertainty: median and 5–95% interval",
                       "id": "Peringkat dalam ketidakpastian: median dan rentang 5–95%"},
    "fig_rank_axis": {"en": "Rank (1 = highest)", "id": "Peringkat (1 = tertinggi)"},
    "fig_rank_median": {"en": "Median rank over {draws} draws", "id": "Median peringkat dari {draws} simulasi"},
    "fig_rank_nominal": {"en": "Nominal rank", "id": "Peringkat nominal"},
    "fig_heatmap_title": {"en": "Dimension scores (0–100)", "id": "Skor dimensi (0–100)"},
    "fig_heatmap_scale": {"en": "Score", "id": "Skor"},
    "fig_loo_title": {"en": "Leave one out: mean absolute rank change",
                      "id": "Tanpa satu dimensi: rata-rata perubahan peringkat absolut"},
    "fig_loo_axis": {"en": "Mean absolute rank change", "id": "Rata-rata perubahan peringkat absolut"},
    "fig_sobol_title": {"en": "Sobol indices on the mean absolute rank change (95% bootstrap intervals)",
                        "id": "Indeks Sobol atas rata-rata perubahan peringkat absolut (interval bootstrap 95%)"},
    "fig_sobol_first": {"en": "First order", "id": "Orde pertama"},
    "fig_sobol_total": {"en": "Total", "id": "Total"},
    "fig_fictional": {"en": "† fictional ministry: invented scores, no real country",
                      "id": "† kementerian fiktif: skor rekaan, bukan negara nyata"},
    "fig_input_levels": {"en": "Levels (by confidence)", "id": "Level (menurut tingkat keyakinan)"},
    "fig_input_weights": {"en": "Dimension weights", "id": "Bobot dimensi"},
    "fig_input_aggregation": {"en": "Aggregation", "id": "Agregasi"},
}
