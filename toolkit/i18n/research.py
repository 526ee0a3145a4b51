"""Interface strings for the research view and the bench."""

# research: bench and compare view (toolkit/reports/charts.py rank_intervals, stage_probabilities; toolkit/ui/research.py)
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

    # consistency (toolkit/research/consistency.py warnings; commands_research.consistency_text; toolkit/ui/research.py;
    # the comparison workbook's Consistency sheet)
    "consistency_too_few_assessments": {
        "en": "Correlations and Cronbach's alpha need at least {needed} assessments and the comparison has {n}, "
              "so they are left empty.",
        "id": "Korelasi dan alfa Cronbach memerlukan sedikitnya {needed} asesmen, sedangkan perbandingan ini "
              "hanya memuat {n}, sehingga keduanya dibiarkan kosong."},
    "consistency_mixed_periods": {
        "en": "The comparison mixes periods {periods}: the ranks compare rounds as well as ministries, and the "
              "correlations and alphas count each round of a ministry as a separate assessment.",
        "id": "Perbandingan ini mencampur periode {periods}: peringkat membandingkan putaran sekaligus "
              "kementerian, dan korelasi serta alfa menghitung setiap putaran satu kementerian sebagai asesmen "
              "tersendiri."},
    "consistency_low_alpha": {
        "en": "The indicators of “{subject}” do not hang together: Cronbach's alpha is {alpha:.3f}, below "
              "{threshold:g} (over {n} assessments).",
        "id": "Indikator-indikator “{subject}” tidak saling berkaitan erat: alfa Cronbach {alpha:.3f}, di bawah "
              "{threshold:g} (dari {n} asesmen)."},
    "consistency_alpha_undefined": {
        "en": "Cronbach's alpha of “{subject}” cannot be computed: it needs at least {needed} assessments that "
              "answered all its {k} indicators, and there are {n}.",
        "id": "Alfa Cronbach untuk “{subject}” tidak dapat dihitung: diperlukan sedikitnya {needed} asesmen yang "
              "menjawab semua {k} indikatornya, sedangkan yang ada hanya {n}."},
    "consistency_alpha_constant": {
        "en": "Cronbach's alpha of “{subject}” cannot be computed: the {n} assessments that answered all its {k} "
              "indicators have the same total.",
        "id": "Alfa Cronbach untuk “{subject}” tidak dapat dihitung: {n} asesmen yang menjawab semua {k} "
              "indikatornya memiliki jumlah skor yang sama."},
    "consistency_low_coverage": {
        "en": "“{subject}” is answered by only {answered} of {total} assessments ({share:.0%}; at least "
              "{min_share:.0%} and {min_count} are expected): its correlations, and the alpha of its dimension, "
              "rest on few answers.",
        "id": "“{subject}” hanya dijawab oleh {answered} dari {total} asesmen ({share:.0%}; diharapkan sedikitnya "
              "{min_share:.0%} dan {min_count} asesmen): korelasinya, dan alfa dimensinya, bertumpu pada sedikit "
              "jawaban."},
    "consistency_no_variation": {
        "en": "“{subject}” has the same score in every assessment that answered it: it cannot tell them apart "
              "and correlates with nothing.",
        "id": "“{subject}” memiliki skor yang sama pada setiap asesmen yang menjawabnya: indikator ini tidak dapat "
              "membedakan asesmen dan tidak berkorelasi dengan apa pun."},
    "consistency_negative_correlation": {
        "en": "“{subject}” correlates negatively with its dimension “{node}” (r = {r:.2f}): check the direction "
              "of its scale and its place in the rubric.",
        "id": "“{subject}” berkorelasi negatif dengan dimensinya, “{node}” (r = {r:.2f}): periksa arah skalanya "
              "dan letaknya dalam rubrik."},
    "consistency_title": {"en": "Consistency of the comparison", "id": "Konsistensi perbandingan"},
    "consistency_heading": {"en": "Consistency of the comparison: {count} assessments, periods {periods}",
                            "id": "Konsistensi perbandingan: {count} asesmen, periode {periods}"},
    "consistency_scope": {"en": "{count} assessments, periods {periods}", "id": "{count} asesmen, periode {periods}"},
    "consistency_warnings": {"en": "Warnings", "id": "Peringatan"},
    "consistency_no_warnings": {
        "en": "No warnings: every dimension's indicators hang together and every indicator is answered often "
              "enough.",
        "id": "Tidak ada peringatan: indikator setiap dimensi saling berkaitan erat dan setiap indikator cukup "
              "sering dijawab."},
    "consistency_alpha_title": {
        "en": "Cronbach's alpha per dimension (listwise: over the assessments that answered all its indicators; "
              "below {threshold:g} is flagged)",
        "id": "Alfa Cronbach per dimensi (listwise: atas asesmen yang menjawab semua indikatornya; di bawah "
              "{threshold:g} ditandai)"},
    "consistency_indicators": {"en": "Indicators", "id": "Indikator"},
    "consistency_assessments_used": {"en": "Assessments used", "id": "Asesmen dipakai"},
    "consistency_alpha": {"en": "Alpha", "id": "Alfa"},
    "consistency_corr_title": {
        "en": "Pearson correlations of the overall and dimension scores (pairwise complete; columns are the "
              "numbered rows)",
        "id": "Korelasi Pearson antara skor keseluruhan dan skor dimensi (pasangan lengkap; kolom adalah baris "
              "bernomor)"},
    "consistency_corr_chart": {"en": "Correlations between the overall and dimension scores (Pearson r)",
                               "id": "Korelasi antara skor keseluruhan dan skor dimensi (r Pearson)"},
    "consistency_corr_note": {
        "en": "Pearson r from −1 to 1, each from the assessments that have both scores (at least {min_pairs}; "
              "empty otherwise). Every correlation between indicators is in the JSON and CSV output of "
              "ddmt compare --consistency.",
        "id": "r Pearson dari −1 sampai 1, masing-masing dari asesmen yang memiliki kedua skor (sedikitnya "
              "{min_pairs}; kosong bila kurang). Semua korelasi antarindikator ada di keluaran JSON dan CSV "
              "ddmt compare --consistency."},
    "consistency_coverage_title": {
        "en": "Indicator coverage: the share of the compared assessments that answered each indicator",
        "id": "Cakupan indikator: porsi asesmen yang dibandingkan yang menjawab setiap indikator"},
    "consistency_share": {"en": "Coverage", "id": "Cakupan"},
    "consistency_share_applicable": {"en": "Share of applicable", "id": "Porsi dari yang berlaku"},
    "consistency_r_dimension": {"en": "r with its dimension", "id": "r dengan dimensinya"},
    "consistency_help": {
        "en": "Over the compared assessments, on the claimed scores: Pearson correlations (pairwise, each from at "
              "least {min_pairs} assessments), Cronbach's alpha of each dimension's indicators (over the "
              "assessments that answered all of them) and how many assessments answered each indicator. These "
              "do not depend on the draws above.",
        "id": "Atas asesmen yang dibandingkan, pada skor klaim: korelasi Pearson (berpasangan, masing-masing dari "
              "sedikitnya {min_pairs} asesmen), alfa Cronbach untuk indikator setiap dimensi (atas asesmen yang "
              "menjawab semuanya) dan berapa asesmen yang menjawab setiap indikator. Angka-angka ini tidak "
              "bergantung pada simulasi di atas."},
    "consistency_failed": {"en": "The consistency check could not run:",
                           "id": "Pemeriksaan konsistensi tidak dapat dijalankan:"},
    "consistency_more_warnings": {"en": "{count} more warnings", "id": "{count} peringatan lainnya"},
    "consistency_warnings_intro": {"en": "Check these before reading the ranks:",
                                   "id": "Periksa hal-hal berikut sebelum membaca peringkat:"},
    "chart_correlation": {"en": "Correlation (r)", "id": "Korelasi (r)"},
}
