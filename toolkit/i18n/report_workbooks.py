"""Interface strings for the consultant and comparison workbooks."""

# reports: workbooks (toolkit/reports/{assessment_workbook,comparison_workbook,sharing}.py, toolkit/cli/reports.py)
STRINGS: dict[str, dict[str, str]] = {
    "xl_sheet_summary": {"en": "Summary", "id": "Ringkasan"},
    "xl_sheet_dimensions": {"en": "Dimensions", "id": "Dimensi"},
    "xl_sheet_indicators": {"en": "Indicators", "id": "Indikator"},
    "xl_sheet_evidence": {"en": "Evidence register", "id": "Daftar bukti"},
    "xl_sheet_roadmap": {"en": "Roadmap", "id": "Peta jalan"},
    "xl_sheet_methodology": {"en": "Methodology", "id": "Metodologi"},
    "xl_sheet_data": {"en": "Data", "id": "Data"},
    "xl_sheet_ranking": {"en": "Ranking", "id": "Peringkat"},
    "xl_assessment_title": {"en": "Assessment report", "id": "Laporan asesmen"},
    "xl_comparison_title": {"en": "Comparison report", "id": "Laporan perbandingan"},
    "xl_country": {"en": "Country", "id": "Negara"},
    "xl_rubric": {"en": "Rubric", "id": "Rubrik"},
    "xl_assessment": {"en": "Assessment", "id": "Asesmen"},
    "xl_date": {"en": "Assessment date", "id": "Tanggal asesmen"},
    "xl_status": {"en": "Status", "id": "Status"},
    "xl_assessors": {"en": "Assessors", "id": "Asesor"},
    "xl_generated": {"en": "Report generated", "id": "Laporan dibuat"},
    "xl_overall_score": {"en": "Overall score", "id": "Skor keseluruhan"},
    "xl_evidence_score": {"en": "Evidence-backed score", "id": "Skor berbasis bukti"},
    "xl_completeness": {"en": "Completeness", "id": "Kelengkapan"},
    "xl_coverage": {"en": "Evidence coverage", "id": "Cakupan bukti"},
    "xl_sharing": {"en": "Sharing level", "id": "Tingkat berbagi"},
    "xl_share_public": {"en": "Public: only evidence marked public", "id": "Publik: hanya bukti bertanda publik"},
    "xl_share_internal": {"en": "Internal: evidence marked public or internal",
                          "id": "Internal: bukti bertanda publik atau internal"},
    "xl_share_all": {"en": "All: every evidence item, restricted included",
                     "id": "Semua: setiap bukti, termasuk yang terbatas"},
    "xl_left_out": {"en": "Left out of this copy", "id": "Tidak disertakan dalam salinan ini"},
    # Not "every item is included": a comparison carries only the evidence of the rounds it names.
    "xl_left_out_none": {"en": "Nothing: the sharing level removed no evidence item.",
                         "id": "Tidak ada: tingkat berbagi tidak mengeluarkan satu bukti pun."},
    "xl_left_out_count": {"en": "{count} evidence item(s) ({what}). The scores were computed with all "
                                "evidence before these were left out.",
                          "id": "{count} bukti ({what}). Skor dihitung dengan semua bukti sebelum bukti "
                                "tersebut dikeluarkan."},
    "xl_confidential_public": {"en": "Public copy: it holds only evidence marked public and may be shared.",
                               "id": "Salinan publik: hanya memuat bukti bertanda publik dan boleh dibagikan."},
    "xl_confidential_internal": {"en": "Internal: for the ministry and its assessors; do not publish.",
                                 "id": "Internal: untuk kementerian dan para asesornya; jangan dipublikasikan."},
    "xl_confidential_all": {"en": "Confidential: holds restricted evidence; do not share outside the "
                                  "assessment team.",
                            "id": "Rahasia: memuat bukti terbatas; jangan dibagikan di luar tim asesmen."},
    "xl_footer_public": {"en": "Public copy", "id": "Salinan publik"},
    "xl_footer_internal": {"en": "Internal: do not publish", "id": "Internal: jangan dipublikasikan"},
    "xl_footer_all": {"en": "Confidential: restricted evidence", "id": "Rahasia: memuat bukti terbatas"},
    "xl_confidentiality": {"en": "Confidentiality", "id": "Kerahasiaan"},
    "xl_fictional": {"en": "Fictional sample: this ministry is invented; the scores describe no real country.",
                     "id": "Contoh fiktif: kementerian ini rekaan; skornya tidak menggambarkan negara mana pun."},
    "xl_fictional_some": {"en": "† fictional ministry: sample data, not any real country's scores.",
                          "id": "† kementerian fiktif: data contoh, bukan skor negara mana pun."},
    "xl_no_formulas": {"en": "Every number in this workbook was computed by the toolkit (ddmt): the cells hold "
                             "values, not formulas. Scores run from 0 to 100.",
                       "id": "Setiap angka dalam buku kerja ini dihitung oleh toolkit (ddmt): sel berisi nilai, "
                             "bukan rumus. Skor berkisar dari 0 sampai 100."},
    "xl_score": {"en": "Score", "id": "Skor"},
    "xl_weight": {"en": "Weight", "id": "Bobot"},
    "xl_radar_title": {"en": "Dimension scores", "id": "Skor dimensi"},
    "xl_bar_title": {"en": "Claimed and evidence-backed score by dimension",
                     "id": "Skor klaim dan berbasis bukti per dimensi"},
    "xl_dimensions_note": {"en": "Top-level dimensions; every sub-dimension is on the Data sheet.",
                           "id": "Dimensi tingkat teratas; setiap subdimensi ada di lembar Data."},
    "xl_id": {"en": "ID", "id": "ID"},
    "xl_indicator": {"en": "Indicator", "id": "Indikator"},
    "xl_level": {"en": "Level or value", "id": "Tingkat atau nilai"},
    "xl_label": {"en": "Label", "id": "Label"},
    "xl_target": {"en": "Target", "id": "Target"},
    "xl_gap": {"en": "Gap", "id": "Selisih"},
    "xl_confidence": {"en": "Confidence", "id": "Keyakinan"},
    "xl_evidence_count": {"en": "Evidence items", "id": "Jumlah bukti"},
    "xl_na_reason": {"en": "N/A reason", "id": "Alasan tidak berlaku"},
    "xl_status_answered": {"en": "Answered", "id": "Dijawab"},
    "xl_status_missing": {"en": "Missing", "id": "Belum dijawab"},
    "xl_status_na": {"en": "N/A", "id": "Tidak berlaku"},
    "xl_kind": {"en": "Kind", "id": "Jenis"},
    "xl_description": {"en": "Description", "id": "Deskripsi"},
    "xl_value": {"en": "Value or link", "id": "Isi atau tautan"},
    "xl_added_by": {"en": "Added by", "id": "Ditambahkan oleh"},
    "xl_added_at": {"en": "Added at", "id": "Waktu ditambahkan"},
    "xl_sensitivity": {"en": "Sensitivity", "id": "Sensitivitas"},
    "xl_evidence_none": {"en": "No evidence in this copy.", "id": "Tidak ada bukti dalam salinan ini."},
    "xl_file_value": {"en": "File {name} (SHA-256 {sha})", "id": "Berkas {name} (SHA-256 {sha})"},
    "xl_order": {"en": "#", "id": "#"},
    "xl_action": {"en": "Action", "id": "Tindakan"},
    "xl_action_answer": {"en": "Answer this", "id": "Jawab indikator ini"},
    "xl_action_improve": {"en": "Improve", "id": "Tingkatkan"},
    "xl_current": {"en": "Current level", "id": "Tingkat sekarang"},
    "xl_next": {"en": "Next level", "id": "Tingkat berikutnya"},
    "xl_next_descriptor": {"en": "What the next level looks like (or the question to answer)",
                           "id": "Gambaran tingkat berikutnya (atau pertanyaan yang perlu dijawab)"},
    "xl_priority": {"en": "Priority", "id": "Prioritas"},
    "xl_roadmap_note": {"en": "Missing answers come first; then gaps, by priority (gap × the indicator's share "
                              "of the overall score), then rubric order.",
                        "id": "Jawaban yang belum ada didahulukan; lalu selisih menurut prioritas (selisih × "
                              "porsi indikator dalam skor keseluruhan), lalu urutan rubrik."},
    "xl_roadmap_done": {"en": "No steps: every indicator is answered and at its target.",
                        "id": "Tidak ada langkah: semua indikator sudah dijawab dan mencapai targetnya."},
    "xl_method_title": {"en": "How the scores are computed", "id": "Cara skor dihitung"},
    "xl_normalisation": {"en": "Metric normalisation", "id": "Normalisasi metrik"},
    "xl_evidence_cap": {"en": "Evidence cap", "id": "Batas tanpa bukti"},
    "xl_cap_text": {"en": "A level without evidence counts at most {cap} ({label}) in the evidence-backed score.",
                    "id": "Tingkat tanpa bukti dihitung paling tinggi {cap} ({label}) dalam skor berbasis bukti."},
    "xl_no_cap": {"en": "No cap: the evidence-backed score equals the claimed score.",
                  "id": "Tanpa batas: skor berbasis bukti sama dengan skor klaim."},
    "xl_formulas": {"en": "Formulas", "id": "Rumus"},
    "xl_formula_level": {"en": "Level indicator: score = 100 × level / L, where L = {top} is the highest level.",
                         "id": "Indikator tingkat: skor = 100 × tingkat / L, dengan L = {top} tingkat tertinggi."},
    "xl_formula_metric": {"en": "Metric indicator: score = 100 × clip((value − low) / (high − low), 0, 1); "
                                "reversed when lower is better.",
                          "id": "Indikator metrik: skor = 100 × clip((nilai − rendah) / (tinggi − rendah), 0, 1); "
                                "dibalik bila makin rendah makin baik."},
    "xl_formula_arithmetic": {"en": "Arithmetic node: D = Σ(w × s) / Σ w over its answered children.",
                              "id": "Simpul aritmetika: D = Σ(w × s) / Σ w atas anak yang terjawab."},
    "xl_formula_geometric": {"en": "Geometric node: D = exp(Σ(w × ln(s + 1)) / Σ w) − 1 over its answered children.",
                             "id": "Simpul geometrik: D = exp(Σ(w × ln(s + 1)) / Σ w) − 1 atas anak yang terjawab."},
    "xl_formula_missing": {"en": "N/A and missing answers are left out and their weight goes to their siblings; "
                                 "completeness = answered weight / applicable weight.",
                           "id": "Jawaban tidak berlaku dan yang belum ada tidak dihitung dan bobotnya beralih ke "
                                 "saudaranya; kelengkapan = bobot terjawab / bobot yang berlaku."},
    "xl_formula_stage": {"en": "Stage: the last stage whose lowest score is at most the score.",
                         "id": "Tahap: tahap terakhir yang skor terendahnya tidak melebihi skor."},
    "xl_formula_gap": {"en": "Gap = target − level (at least 0); the target is the answer's, else the rubric's "
                             "default, else L.",
                       "id": "Selisih = target − tingkat (paling kecil 0); targetnya dari jawaban, atau bawaan "
                             "rubrik, atau L."},
    "xl_formula_coverage": {"en": "Evidence coverage: the share of answered indicators with at least one evidence item.",
                            "id": "Cakupan bukti: porsi indikator terjawab yang memiliki sedikitnya satu bukti."},
    "xl_scale": {"en": "Scale", "id": "Skala"},
    "xl_stages": {"en": "Stages", "id": "Tahapan"},
    "xl_min_score": {"en": "From score", "id": "Mulai skor"},
    "xl_weights": {"en": "Weights", "id": "Bobot"},
    "xl_type": {"en": "Type", "id": "Jenis"},
    "xl_type_node": {"en": "Dimension", "id": "Dimensi"},
    "xl_type_level": {"en": "Indicator (level)", "id": "Indikator (tingkat)"},
    "xl_type_metric": {"en": "Indicator (metric)", "id": "Indikator (metrik)"},
    "xl_aggregation": {"en": "Aggregation", "id": "Agregasi"},
    "xl_agg_arithmetic": {"en": "Arithmetic", "id": "Aritmetika"},
    "xl_agg_geometric": {"en": "Geometric", "id": "Geometrik"},
    "xl_share_parent": {"en": "Share of parent", "id": "Porsi dalam induk"},
    "xl_share_overall": {"en": "Share of overall (all answered)", "id": "Porsi dalam keseluruhan (semua terjawab)"},
    "xl_data_note": {"en": "The Data sheet uses fixed column names (assessment, node, depth, score, evidence_score, "
                           "stage, completeness, status) so that analysis tools can read it; stages and statuses "
                           "appear as identifiers.",
                     "id": "Lembar Data memakai nama kolom tetap (assessment, node, depth, score, evidence_score, "
                           "stage, completeness, status) agar dapat dibaca perangkat analisis; tahap dan status "
                           "ditulis sebagai pengenal."},
    "xl_assessments": {"en": "Assessments compared", "id": "Asesmen yang dibandingkan"},
    "xl_periods": {"en": "Periods", "id": "Periode"},
    "xl_mixed_periods": {"en": "Several periods are compared: a ministry can appear once per period.",
                         "id": "Beberapa periode dibandingkan: satu kementerian dapat muncul sekali per periode."},
    "xl_overall_p": {"en": "Overall p{p}", "id": "Keseluruhan p{p}"},
    "xl_rank_p": {"en": "Rank p{p}", "id": "Peringkat p{p}"},
    "xl_intervals_note": {"en": "p5, p50 and p95: percentiles of the uncertainty analysis.",
                          "id": "p5, p50, dan p95: persentil dari analisis ketidakpastian."},
    "xl_overall_chart": {"en": "Overall score by ministry", "id": "Skor keseluruhan per kementerian"},
    "xl_dimension_sheet_note": {"en": "Claimed indicator scores per assessment, in rank order.",
                                "id": "Skor klaim indikator per asesmen, menurut urutan peringkat."},

    # research sheets (toolkit/reports/research_sheets.py)
    "xl_sheet_sensitivity": {"en": "Sensitivity", "id": "Sensitivitas"},
    "xl_sheet_consistency": {"en": "Consistency", "id": "Konsistensi"},
    "xl_loo_heading": {"en": "Leave one out at depth {depth}", "id": "Keluarkan satu pada kedalaman {depth}"},
    "xl_sobol_heading": {"en": "Sobol indices on the mean absolute rank change ({samples} samples)",
                         "id": "Indeks Sobol terhadap rata-rata perubahan peringkat absolut ({samples} sampel)"},
    "xl_sensitivity_settings": {
        "en": "Settings: {samples} Sobol base samples, seed {seed}, weight spread {spread:g} (each weight varies "
              "by a factor between 1 − {spread:g} and 1 + {spread:g}), nodes left out at depth {depth}.",
        "id": "Pengaturan: {samples} sampel dasar Sobol, seed {seed}, sebaran bobot {spread:g} (setiap bobot "
              "berubah dengan faktor antara 1 − {spread:g} dan 1 + {spread:g}), simpul dikeluarkan pada "
              "kedalaman {depth}."},
    "xl_loo_note": {
        "en": "Leave one out: each node at this depth is removed in turn (its siblings share its weight), the "
              "comparison is ranked again, and the mean absolute change of rank over the ranked assessments "
              "is shown. 0 means no rank moved (green); the larger, the more the ranks rest on that node.",
        "id": "Keluarkan satu: setiap simpul pada kedalaman ini dikeluarkan bergantian (bobotnya dibagi ke "
              "simpul saudaranya), perbandingan diperingkat ulang, dan yang ditampilkan adalah rata-rata "
              "perubahan peringkat absolut atas asesmen yang berperingkat. 0 berarti tidak ada peringkat yang "
              "berubah (hijau); makin besar, makin bergantung peringkat pada simpul itu."},
    "xl_sobol_note": {
        "en": "Sobol indices of the uncertain inputs (levels by confidence, dimension weights, aggregation) on "
              "the mean absolute rank change: first order (Saltelli 2010) is the share of its variance an "
              "input causes alone, total (Jansen 1999) the share including its interactions; low and high are "
              "95% bootstrap percentile intervals. An empty cell: the ranks never moved, so the index is "
              "undefined; a slightly negative first order is sampling noise.",
        "id": "Indeks Sobol dari masukan yang tidak pasti (tingkat menurut keyakinan, bobot dimensi, agregasi) "
              "terhadap rata-rata perubahan peringkat absolut: orde pertama (Saltelli 2010) adalah porsi "
              "variansnya yang ditimbulkan masukan itu sendiri, total (Jansen 1999) porsinya termasuk "
              "interaksinya; bawah dan atas adalah rentang persentil bootstrap 95%. Sel kosong: peringkat "
              "tidak pernah berubah, sehingga indeks tidak terdefinisi; orde pertama yang sedikit negatif "
              "adalah derau pengambilan sampel."},
    "xl_depth": {"en": "Depth", "id": "Kedalaman"},
    "xl_alpha_none": {"en": "No dimension has two or more indicators: no alpha to compute.",
                      "id": "Tidak ada dimensi dengan dua indikator atau lebih: tidak ada alfa untuk dihitung."},
    "xl_consistency_note": {
        "en": "All statistics use the claimed scores (0–100) of the compared assessments. Alpha = k/(k − 1) × "
              "(1 − Σ item variances / variance of the total), over the assessments that answered all k "
              "indicators of the dimension; {threshold:g} and above is the usual sign that indicators measure "
              "one thing. "
              "Correlations are Pearson's r, each from the assessments that have both scores (at least "
              "{min_pairs}). Coverage: answered / compared; share of applicable: answered / (answered + "
              "missing), N/A left out.",
        "id": "Semua statistik memakai skor klaim (0–100) dari asesmen yang dibandingkan. Alfa = k/(k − 1) × "
              "(1 − Σ varians butir / varians total), atas asesmen yang menjawab semua k indikator dimensi itu; "
              "{threshold:g} ke atas lazimnya menandakan bahwa indikator-indikator mengukur satu hal yang "
              "sama. Korelasi "
              "adalah r Pearson, masing-masing dari asesmen yang memiliki kedua skor (sedikitnya {min_pairs}). "
              "Cakupan: dijawab / dibandingkan; porsi dari yang berlaku: dijawab / (dijawab + belum dijawab), "
              "tanpa yang tidak berlaku."},
    "xl_research_sensitivity": {"en": "The Sensitivity sheet shows how far the ranks rest on each dimension and "
                                      "on the uncertain inputs.",
                                "id": "Lembar Sensitivitas menunjukkan seberapa jauh peringkat bergantung pada "
                                      "setiap dimensi dan pada masukan yang tidak pasti."},
    "xl_research_consistency": {"en": "Consistency: {count} warning(s); see the Consistency sheet before reading "
                                      "the ranks.",
                                "id": "Konsistensi: {count} peringatan; lihat lembar Konsistensi sebelum membaca "
                                      "peringkat."},
    "xl_research_consistent": {"en": "Consistency: no warnings (see the Consistency sheet).",
                               "id": "Konsistensi: tidak ada peringatan (lihat lembar Konsistensi)."},
}
