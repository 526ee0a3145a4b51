"""Interface strings for the consultant deliverables: PDF and HTML reports, the executive summary,
branding, and whose evidence a comparison carries (issue 14)."""

# reports: comparisons' evidence (toolkit/reports/comparison_workbook.py, sharing.py), app compare export
STRINGS: dict[str, dict[str, str]] = {
    "xl_evidence_of": {"en": "Evidence of", "id": "Bukti dari"},
    "xl_evidence_of_none": {"en": "no assessment (scores only)", "id": "tidak ada penilaian (hanya skor)"},
    "xl_evidence_of_text": {
        "en": "{carried}. Each ministry's evidence is its own: {withheld} evidence item(s) of the other "
              "compared assessments are withheld; their scores were computed with all of it.",
        "id": "{carried}. Bukti setiap kementerian adalah miliknya sendiri: {withheld} butir bukti dari "
              "penilaian lain yang dibandingkan tidak disertakan; skornya tetap dihitung dengan seluruh bukti."},
    "xl_sheet_charts": {"en": "Charts", "id": "Grafik"},
    "xl_charts_note": {"en": "The first {count} of {total} assessments in rank order; every score is on the Ranking sheet.",
                       "id": "{count} dari {total} penilaian pertama menurut peringkat; semua skor ada di lembar Peringkat."},
    "xl_charts_bar_title": {"en": "Dimension scores by ministry", "id": "Skor dimensi per kementerian"},
    "rp_report_heading": {"en": "Report (PDF or HTML)", "id": "Laporan (PDF atau HTML)"},
    "rp_report_help": {"en": "The client's report: executive summary, charts, roadmap and the change since the "
                             "previous round, at the sharing level above.",
                       "id": "Laporan untuk klien: ringkasan eksekutif, grafik, peta jalan, dan perubahan sejak "
                             "putaran sebelumnya, pada tingkat berbagi di atas."},
    "rp_logo_upload": {"en": "Logo (PNG or SVG, at most 1 MB)", "id": "Logo (PNG atau SVG, paling besar 1 MB)"},
    "rp_logo_refused": {"en": "This logo cannot be used:", "id": "Logo ini tidak dapat digunakan:"},
    "rp_previous_round": {"en": "Previous round, for the change", "id": "Putaran sebelumnya, untuk perubahan"},
    "rp_previous_none": {"en": "None", "id": "Tidak ada"},
    "rp_download_pdf": {"en": "Report (.pdf)", "id": "Laporan (.pdf)"},
    "rp_download_html": {"en": "Report (.html)", "id": "Laporan (.html)"},
    "compare_report_pdf": {"en": "Comparison report (.pdf)", "id": "Laporan perbandingan (.pdf)"},
    "compare_report_html": {"en": "Comparison report (.html)", "id": "Laporan perbandingan (.html)"},
    "compare_report_help": {"en": "The comparison report for the client (the first round selected): the ranking, "
                                  "where the client stands, what the leaders do differently; evidence only of the "
                                  "rounds whose evidence you include above.",
                            "id": "Laporan perbandingan untuk klien (putaran pertama yang dipilih): peringkat, posisi "
                                  "klien, dan apa yang dilakukan para pemimpin secara berbeda; bukti hanya dari "
                                  "putaran yang buktinya Anda sertakan di atas."},
    "compare_evidence_of": {"en": "Include the evidence of", "id": "Sertakan bukti dari"},
    "compare_evidence_of_help": {
        "en": "A comparison goes to one client: by default it carries no ministry's evidence, only scores. "
              "Choose the assessments whose evidence the downloads may carry.",
        "id": "Perbandingan dikirim ke satu klien: secara bawaan tidak memuat bukti kementerian mana pun, "
              "hanya skor. Pilih penilaian yang buktinya boleh disertakan dalam unduhan."},

    # PDF and HTML reports (toolkit/reports/html.py, summary.py; reports/templates)
    "rp_assessment_title": {"en": "Digital diplomacy maturity report", "id": "Laporan kematangan diplomasi digital"},
    "rp_comparison_title": {"en": "Digital diplomacy maturity comparison", "id": "Perbandingan kematangan diplomasi digital"},
    "rp_prepared_for": {"en": "Prepared for", "id": "Disiapkan untuk"},
    "rp_prepared_by": {"en": "Prepared by", "id": "Disiapkan oleh"},
    "rp_page": {"en": "Page", "id": "Halaman"},
    "rp_of": {"en": "of", "id": "dari"},
    "rp_contents": {"en": "Contents", "id": "Daftar isi"},
    "rp_summary": {"en": "Executive summary", "id": "Ringkasan eksekutif"},
    "rp_at_a_glance": {"en": "Scores at a glance", "id": "Sekilas skor"},
    "rp_dimensions": {"en": "Dimensions", "id": "Dimensi"},
    "rp_roadmap": {"en": "Roadmap", "id": "Peta jalan"},
    "rp_trend": {"en": "Change since the previous round", "id": "Perubahan sejak putaran sebelumnya"},
    "rp_no_previous": {"en": "No previous round was given, so no change is shown.",
                       "id": "Tidak ada putaran sebelumnya yang diberikan, sehingga perubahan tidak ditampilkan."},
    "rp_evidence": {"en": "Evidence register", "id": "Daftar bukti"},
    "rp_methodology": {"en": "Methodology", "id": "Metodologi"},
    "rp_ranking": {"en": "Ranking", "id": "Peringkat"},
    "rp_client_position": {"en": "Where the client stands", "id": "Posisi klien"},
    "rp_leader_gaps": {"en": "What the leaders do differently", "id": "Apa yang dilakukan berbeda oleh para pemimpin"},
    "rp_median": {"en": "Median", "id": "Median"},
    "rp_best": {"en": "Best", "id": "Terbaik"},
    "rp_leader": {"en": "Leader", "id": "Pemimpin"},
    "rp_client": {"en": "Client", "id": "Klien"},
    "rp_before": {"en": "Before", "id": "Sebelum"},
    "rp_after": {"en": "Now", "id": "Sekarang"},
    "rp_change": {"en": "Change", "id": "Perubahan"},
    "rp_interval": {"en": "90 % interval", "id": "Interval 90 %"},
    "rp_rank_interval": {"en": "Rank interval", "id": "Interval peringkat"},
    "rp_first_steps": {"en": "First steps", "id": "Langkah pertama"},
    "rp_step_answer": {"en": "Answer this indicator: {question}", "id": "Jawab indikator ini: {question}"},
    "rp_roadmap_more": {"en": "{count} further step(s) are in the consultant workbook's roadmap.",
                        "id": "{count} langkah berikutnya ada di peta jalan buku kerja konsultan."},
    "rp_gate_item": {"en": "{gate} ({node} at most {cap})", "id": "{gate} ({node} paling tinggi {cap})"},
    "rp_generated": {"en": "Generated", "id": "Dibuat"},
    "rp_fictional": {"en": "Fictional ministry: a sample for trying the toolkit; its scores are not any real country's.",
                     "id": "Kementerian fiktif: contoh untuk mencoba perangkat ini; skornya bukan milik negara nyata mana pun."},
    "rp_fictional_some": {"en": "† marks a fictional sample ministry; its scores are not any real country's.",
                          "id": "† menandai kementerian contoh fiktif; skornya bukan milik negara nyata mana pun."},
    "rp_no_evidence": {"en": "No evidence is included in this copy.", "id": "Tidak ada bukti yang disertakan dalam salinan ini."},
    "rp_sum_stage": {
        "en": "{ministry} ({period}) stands at the {stage} stage, with an overall score of {score} out of 100, "
              "computed from {completeness} of the rubric's applicable weight.",
        "id": "{ministry} ({period}) berada pada tahap {stage}, dengan skor keseluruhan {score} dari 100, "
              "dihitung dari {completeness} bobot rubrik yang berlaku."},
    "rp_sum_no_stage": {
        "en": "{ministry} ({period}) has an overall score of {score} out of 100 but is not rated at a stage: "
              "{completeness} of the rubric's applicable weight is answered.",
        "id": "{ministry} ({period}) memiliki skor keseluruhan {score} dari 100 tetapi belum dinilai pada suatu "
              "tahap: baru {completeness} bobot rubrik yang berlaku yang terjawab."},
    "rp_sum_incomplete": {
        "en": "The assessment is not complete ({completeness} answered): read the scores as provisional, since "
              "the unanswered indicators could move them either way.",
        "id": "Penilaian ini belum lengkap ({completeness} terjawab): baca skornya sebagai sementara, karena "
              "indikator yang belum dijawab dapat menaikkan atau menurunkannya."},
    "rp_sum_dimensions": {
        "en": "The strongest dimensions are {a} ({sa}) and {b} ({sb}); the weakest are {c} ({sc}) and {d} ({sd}).",
        "id": "Dimensi terkuat adalah {a} ({sa}) dan {b} ({sb}); yang terlemah adalah {c} ({sc}) dan {d} ({sd})."},
    "rp_sum_gates": {
        "en": "{count} critical control(s) are not met and cap the scores: {gates}.",
        "id": "{count} kontrol kritis belum terpenuhi dan membatasi skor: {gates}."},
    "rp_sum_gates_unevaluated": {
        "en": "{count} critical control(s) were not answered or marked N/A, so their gates were not evaluated: "
              "{controls}. Answer them before reading the scores as final.",
        "id": "{count} kontrol kritis belum dijawab atau ditandai tidak berlaku, sehingga gerbangnya tidak "
              "dievaluasi: {controls}. Jawab kontrol tersebut sebelum membaca skor sebagai hasil akhir."},
    "rp_sum_no_gates": {"en": "Every critical control of the rubric is met; no score is capped.",
                        "id": "Semua kontrol kritis rubrik terpenuhi; tidak ada skor yang dibatasi."},
    "rp_sum_evidence_gap": {
        "en": "{coverage} of the answered indicators carry evidence. Counting only levels that evidence backs, the "
              "score is {evidence}, {gap} points below the claimed {score}.",
        "id": "{coverage} indikator yang terjawab disertai bukti. Jika hanya tingkat yang didukung bukti yang "
              "dihitung, skornya {evidence}, {gap} poin di bawah skor klaim {score}."},
    "rp_sum_evidence_same": {
        "en": "{coverage} of the answered indicators carry evidence; the evidence-backed score equals the claimed one.",
        "id": "{coverage} indikator yang terjawab disertai bukti; skor berbasis bukti sama dengan skor klaim."},
    "rp_sum_previous": {
        "en": "Since the {period} round the overall score has changed by {delta} points, from {before} to {after}; "
              "the stage was {stage_before} and is now {stage_after}.",
        "id": "Sejak putaran {period}, skor keseluruhan berubah {delta} poin, dari {before} menjadi {after}; "
              "tahapnya semula {stage_before} dan kini {stage_after}."},
    "rp_sum_previous_same_stage": {
        "en": "Since the {period} round the overall score has changed by {delta} points, from {before} to {after}; "
              "the stage is still {stage_after}.",
        "id": "Sejak putaran {period}, skor keseluruhan berubah {delta} poin, dari {before} menjadi {after}; "
              "tahapnya tetap {stage_after}."},
    "rp_sum_moves": {"en": "The largest moves by dimension: {moves}.",
                     "id": "Perubahan terbesar per dimensi: {moves}."},
    "rp_sum_steps": {
        "en": "The roadmap has {total} step(s); the first {count}, by priority, are listed below.",
        "id": "Peta jalan memuat {total} langkah; {count} langkah pertama menurut prioritas tercantum di bawah."},
    "rp_sum_no_steps": {"en": "Every indicator is answered and at its target: the roadmap is empty.",
                        "id": "Semua indikator sudah terjawab dan mencapai targetnya: peta jalan kosong."},
    "rp_cmp_intro": {
        "en": "{count} assessments of the rubric “{rubric}” are compared on one scale (rounds: {periods}).",
        "id": "{count} penilaian dengan rubrik “{rubric}” dibandingkan pada satu skala (putaran: {periods})."},
    "rp_cmp_leader": {"en": "Ranked first: {names}, with {score}.", "id": "Peringkat pertama: {names}, dengan {score}."},
    "rp_cmp_client": {
        "en": "{client} ranks {rank} of {count}, with {score} at the {stage} stage.",
        "id": "{client} berada di peringkat {rank} dari {count}, dengan skor {score} pada tahap {stage}."},
    "rp_cmp_interval": {
        "en": "Allowing for the uncertainty of the answers and the weights, {client}'s score lies between {p05} "
              "and {p95} and its rank between {r05} and {r95} in 90 % of the draws.",
        "id": "Dengan memperhitungkan ketidakpastian jawaban dan bobot, skor {client} berada antara {p05} dan "
              "{p95} dan peringkatnya antara {r05} dan {r95} pada 90 % simulasi."},
    "rp_cmp_median": {
        "en": "Above the group's median in: {above}. Below it in: {below}.",
        "id": "Di atas median kelompok pada: {above}. Di bawahnya pada: {below}."},
    "rp_cmp_gaps": {
        "en": "The largest gaps to the best of the others (client / best, who): {items}.",
        "id": "Selisih terbesar terhadap yang terbaik di antara yang lain (klien / terbaik, siapa): {items}."},
}
