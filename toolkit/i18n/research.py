"""Interface strings for the research view and the bench."""

# research: bench and compare view (toolkit/charts.py rank_intervals, stage_probabilities; toolkit/ui/research.py)
STRINGS: dict[str, dict[str, str]] = {
    "chart_median_rank": {"en": "Median rank (5–95% bar)", "id": "Peringkat median (batang 5–95%)"},
    "chart_nominal_rank": {"en": "Rank as scored", "id": "Peringkat hasil skor"},
    "chart_probability": {"en": "Share of draws", "id": "Porsi simulasi"},
    "research_title": {"en": "Uncertainty and sensitivity", "id": "Ketidakpastian dan sensitivitas"},
    "research_help": {
        "en": "Each Monte Carlo draw moves every answered level within its confidence (high keeps it, medium "
              "one level either way, low two), scales each dimension weight by a factor between 1 − spread "
              "and 1 + spread, and, if asked, makes the whole index arithmetic or geometric; the ranks are "
              "recomputed in every draw.",
        "id": "Setiap simulasi Monte Carlo menggeser setiap tingkat yang dijawab sesuai keyakinannya (tinggi "
              "tetap, sedang satu tingkat ke atas atau ke bawah, rendah dua), mengalikan bobot setiap dimensi "
              "dengan faktor antara 1 − sebaran dan 1 + sebaran, dan, bila diminta, membuat seluruh indeks "
              "aritmetik atau geometrik; peringkat dihitung ulang pada setiap simulasi."},
    "research_draws": {"en": "Draws", "id": "Jumlah simulasi"},
    "research_draws_help": {"en": "More draws give steadier intervals and take longer.",
                            "id": "Lebih banyak simulasi memberi rentang yang lebih stabil dan lebih lama."},
    "research_seed": {"en": "Seed", "id": "Seed acak"},
    "research_seed_help": {"en": "The same seed and settings give the same numbers.",
                           "id": "Seed dan pengaturan yang sama menghasilkan angka yang sama."},
    "research_spread": {"en": "Weight spread", "id": "Sebaran bobot"},
    "research_spread_help": {
        "en": "Each dimension weight varies by a factor between 1 − spread and 1 + spread, the same for every "
              "ministry in one draw.",
        "id": "Setiap bobot dimensi berubah dengan faktor antara 1 − sebaran dan 1 + sebaran, sama untuk semua "
              "kementerian dalam satu simulasi."},
    "research_switch": {"en": "Switch aggregation", "id": "Ganti agregasi"},
    "research_switch_help": {"en": "Each draw makes the whole index arithmetic or geometric, with equal chance.",
                             "id": "Setiap simulasi membuat seluruh indeks aritmetik atau geometrik, dengan "
                                   "peluang sama."},
    "research_depth": {"en": "Leave out nodes at depth", "id": "Keluarkan simpul pada kedalaman"},
    "research_depth_help": {"en": "1 is the top-level dimensions.", "id": "1 adalah dimensi tingkat teratas."},
    "research_running": {"en": "Running {draws} draws and the sensitivity analysis…",
                         "id": "Menjalankan {draws} simulasi dan analisis sensitivitas…"},
    "research_failed": {"en": "The uncertainty analysis could not run:",
                        "id": "Analisis ketidakpastian tidak dapat dijalankan:"},
    "research_intervals": {"en": "Scores and ranks over the draws", "id": "Skor dan peringkat dari simulasi"},
    "research_rank_title": {"en": "Rank over the draws: median and 5–95% interval",
                            "id": "Peringkat dari simulasi: median dan rentang 5–95%"},
    "research_stage_title": {"en": "Share of draws in each stage", "id": "Porsi simulasi pada setiap tahap"},
    "research_rank_p": {"en": "Rank {p}%", "id": "Peringkat {p}%"},
    "research_score_p": {"en": "Score {p}%", "id": "Skor {p}%"},
    "research_likeliest": {"en": "Likeliest stage", "id": "Tahap paling mungkin"},
    "research_loo": {"en": "Leave one out: the mean absolute rank change when a node is removed",
                     "id": "Keluarkan satu: rata-rata perubahan peringkat absolut bila satu simpul dikeluarkan"},
    "research_loo_node": {"en": "Left out", "id": "Dikeluarkan"},
    "research_loo_change": {"en": "Mean absolute rank change", "id": "Rata-rata perubahan peringkat absolut"},
    "research_sobol": {
        "en": "Sobol indices of the uncertain inputs on the mean absolute rank change ({samples} samples, "
              "95% bootstrap intervals)",
        "id": "Indeks Sobol dari masukan yang tidak pasti terhadap rata-rata perubahan peringkat absolut "
              "({samples} sampel, rentang bootstrap 95%)"},
    "research_sobol_input": {"en": "Input", "id": "Masukan"},
    "research_sobol_first": {"en": "First order", "id": "Orde pertama"},
    "research_sobol_total": {"en": "Total", "id": "Total"},
    "research_sobol_low": {"en": "{name}, low", "id": "{name}, bawah"},
    "research_sobol_high": {"en": "{name}, high", "id": "{name}, atas"},
    "research_sobol_note": {
        "en": "The Sobol analysis always includes the aggregation switch as an input, as `ddmt compare "
              "--sensitivity` does. Empty cells: the ranks never moved, so the indices are undefined.",
        "id": "Analisis Sobol selalu memasukkan pergantian agregasi sebagai masukan, seperti `ddmt compare "
              "--sensitivity`. Sel kosong: peringkat tidak pernah berubah, sehingga indeks tidak terdefinisi."},
    "research_input_levels": {"en": "Levels (by confidence)", "id": "Tingkat (menurut keyakinan)"},
    "research_input_weights": {"en": "Dimension weights", "id": "Bobot dimensi"},
    "research_input_aggregation": {"en": "Aggregation", "id": "Agregasi"},
}
