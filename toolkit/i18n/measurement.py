"""Interface strings of gates and the completeness rule (SPEC 11), for every place that shows them."""

# toolkit/engine/rating.py, the command line, the results and compare pages and both workbooks
STRINGS: dict[str, dict[str, str]] = {
    "not_rated": {"en": "not rated: {complete} % complete, at least {needed} % needed",
                  "id": "belum dinilai: lengkap {complete} %, minimal {needed} % diperlukan"},
    "stage_complete": {"en": "{stage} · {complete} % complete", "id": "{stage} · lengkap {complete} %"},
    "not_rated_short": {"en": "not rated", "id": "belum dinilai"},
    "unranked_note": {
        "en": "Not ranked (below {needed} % complete): {names}. Use --rank-incomplete to rank them anyway.",
        "id": "Tidak diberi peringkat (kelengkapan di bawah {needed} %): {names}. Gunakan --rank-incomplete untuk tetap memeringkatnya."},
    "unranked_note_app": {
        "en": "Not ranked, below {needed} % complete: {names}. They are listed after the ranked rounds.",
        "id": "Tidak diberi peringkat karena kelengkapan di bawah {needed} %: {names}. Ronde ini dicantumkan setelah ronde yang diberi peringkat."},
    "rank_incomplete_toggle": {"en": "Rank incomplete rounds too", "id": "Beri peringkat juga pada ronde yang belum lengkap"},
    "gates": {"en": "Gates", "id": "Gerbang"},
    "gate_triggered": {"en": "Gate triggered: {title} ({node} capped at {cap})",
                       "id": "Gerbang terpicu: {title} ({node} dibatasi pada {cap})"},
    "gate_evidence_only": {"en": "evidence-backed score only", "id": "hanya skor berbasis bukti"},
    "gate_none": {"en": "No gate is triggered.", "id": "Tidak ada gerbang yang terpicu."},
    "gate_column": {"en": "Gates triggered", "id": "Gerbang terpicu"},
    "gate_roadmap_reason": {"en": "gate: {title}", "id": "gerbang: {title}"},
    "gate_unevaluated": {
        "en": "Critical control not answered: {indicator}. Gate not evaluated: {title} (it would cap {node} at {cap})",
        "id": "Kontrol kritis belum dijawab: {indicator}. Gerbang tidak dievaluasi: {title} "
              "(jika terpicu, {node} dibatasi pada {cap})"},
    "gate_unevaluated_na": {
        "en": "Critical control marked N/A: {indicator}. Gate not evaluated: {title} (it would cap {node} at {cap})",
        "id": "Kontrol kritis ditandai tidak berlaku: {indicator}. Gerbang tidak dievaluasi: {title} "
              "(jika terpicu, {node} dibatasi pada {cap})"},
    "gate_roadmap_unevaluated": {"en": "critical control: gate not evaluated until answered ({title})",
                                 "id": "kontrol kritis: gerbang belum dievaluasi sampai dijawab ({title})"},
    "roadmap_reach_value": {"en": "Reach {value} {unit}", "id": "Capai {value} {unit}"},
    "roadmap_attach_evidence": {"en": "Attach evidence of {level}", "id": "Lampirkan bukti untuk {level}"},
    "metric_no_evidence": {"en": "metric without evidence: score kept, please attach the source",
                           "id": "metrik tanpa bukti: skor tetap dihitung, lampirkan sumbernya"},
    "xl_gates": {"en": "Gates", "id": "Gerbang"},
    "xl_gate": {"en": "Gate", "id": "Gerbang"},
    "xl_gate_indicator": {"en": "Indicator", "id": "Indikator"},
    "xl_gate_min_level": {"en": "Needs level", "id": "Tingkat minimal"},
    "xl_gate_node": {"en": "Caps", "id": "Membatasi"},
    "xl_gate_cap": {"en": "Cap", "id": "Batas"},
    "xl_gate_claimed": {"en": "Triggered (claimed)", "id": "Terpicu (klaim)"},
    "xl_gate_evidence": {"en": "Triggered (evidence-backed)", "id": "Terpicu (berbasis bukti)"},
    "overall_node": {"en": "Overall", "id": "Keseluruhan"},
}
