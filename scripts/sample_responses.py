"""Team-round responses for two sample rounds (SPEC 12), used by `scripts/build_samples.py`.

Why: the team-round features (each respondent's answers, consolidation, Krippendorff's alpha) need
rounds where several people answered separately. Two fictional rounds get them, one where the
respondents mostly agree (high alpha) and one where they do not (low alpha). Each respondent answers
the dimensions their unit knows, around the round's consolidated level: the offset from it is drawn
from a fixed pattern keyed by round, respondent and indicator (a hash, so the files never change
between runs). The respondents are invented like everything else in the samples.
"""

from __future__ import annotations

import hashlib

MAX_LEVEL = 4

# round id -> (offsets a respondent's level may take from the consolidated one, respondents)
# respondent: (id, name, unit, the dimensions they answer)
TEAMS: dict[str, tuple[tuple[int, ...], tuple[tuple[str, str, str, tuple[str, ...]], ...]]] = {
    # Dravenia's cyber-power ministry: a practised team that sees itself the same way.
    "dravenia-mfa-2025": ((0, 0, 0, 0, 0, 0, 0, 1), (
        ("press", "Head of press office", "Press and information",
         ("instruments", "functions", "ethics", "governance")),
        ("cyber", "Cyber desk lead", "Cyber diplomacy",
         ("instruments", "functions", "security", "platform_dependence")),
        ("consular", "Consular crisis cell", "Consular affairs", ("crisis_readiness", "digital_divide", "security")),
        ("embassy-north", "Embassy North, press attaché", "Embassy network",
         ("instruments", "digital_divide", "ethics", "crisis_readiness")),
        ("strategy", "Policy planning", "Policy planning", ("governance", "functions", "platform_dependence", "ethics")),
    )),
    # Tumbaro's newly digitising ministry: units that barely know what the others do.
    "tumbaro-mfa-2025": ((0, 1, -1, 2, -2, 1, -1), (
        ("press", "Press officer", "Press and information", ("instruments", "functions", "ethics", "governance")),
        ("it", "IT services", "Information technology", ("security", "platform_dependence", "instruments")),
        ("consular", "Consular officer", "Consular affairs", ("crisis_readiness", "digital_divide", "functions")),
        ("embassy-east", "Embassy East, second secretary", "Embassy network",
         ("instruments", "digital_divide", "crisis_readiness", "ethics")),
        ("embassy-south", "Embassy South, head of chancery", "Embassy network",
         ("instruments", "functions", "governance", "security")),
        ("planning", "Planning bureau", "Policy planning", ("governance", "platform_dependence", "ethics")),
    )),
}


def _pick(options: tuple[int, ...], *key: str) -> int:
    digest = hashlib.sha256("/".join(key).encode("utf-8")).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def responses_for(doc: dict, dimensions: dict[str, tuple[str, ...]], metrics: set[str]) -> list[dict] | None:
    """The responses of a sample round, or None for a round answered by one person."""
    if doc["id"] not in TEAMS:
        return None
    offsets, respondents = TEAMS[doc["id"]]
    out = []
    for number, (who, name, unit, covered) in enumerate(respondents):
        answers: dict[str, dict] = {}
        for dimension in covered:
            for indicator in dimensions[dimension]:
                consolidated = doc["answers"].get(indicator, {})
                if indicator in metrics or "level" not in consolidated:
                    continue  # agreement is on levels; N/A and missing stay missing
                level = consolidated["level"] + _pick(offsets, doc["id"], who, indicator)
                answers[indicator] = {"level": min(max(level, 0), MAX_LEVEL), "confidence": "medium"}
        out.append({"respondent": {"id": who, "name": name, "unit": unit}, "answers": answers,
                    "submitted_at": f"{doc['date']}T{9 + number:02d}:00:00Z"})
    return out
