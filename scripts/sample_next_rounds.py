"""The next round of four fictional ministries, on rubric `digital-diplomacy` 1.1.0 (used by build_samples.py).

Why this exists: ministries assess every year and the rubric moved to 1.1.0 between two years, so the
samples should show what a ministry's next round looks like after the move, and let a trend cross
the version change. Each round here is made the way the app makes one: the ministry's last 1.0.0
round is migrated by the rubric's own `migrations` table (`toolkit.model.migration`), every answer
whose indicator kept its id is carried unchanged, and the ten indicators new in 1.1.0 are answered
(`new`), with the few carried answers that changed since (`updates`). Like every sample, the
ministries, people and events are invented and the data says so.

Answers are `(level or value, note)`; evidence comes from `NEW_ARTEFACTS` as for the other samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The generic artefact of each indicator new in 1.1.0: (text, public page slug or None, sensitivity).
NEW_ARTEFACTS: dict[str, tuple[str, str | None, str]] = {
    "fun.digital_conduct": ("Rule on approved video-conferencing and document-sharing tools by classification", None,
                            "internal"),
    "con.travel_advice": ("Travel advice pages by country with risk levels and review dates", "travel-advice", "public"),
    "con.help_desks": ("Consular help line arrangement, staffing roster and response-time log", "consular/help",
                       "internal"),
    "con.crisis_nationals": ("Mission crisis plans with estimated numbers and locations of nationals", None,
                             "restricted"),
    "res.platform_concentration": ("Channel-mix analytics export: audience by platform company and channel", None,
                                   "internal"),
    "rea.language_coverage": ("Publication log by language checked against the written audience map", "languages",
                              "public"),
    "rea.public_digital_literacy": ("Outreach material on verifying official accounts and rumours", "stay-safe-online",
                                    "public"),
    "eth.takedown_requests": ("Criteria and log of the ministry's requests to platforms to remove content", None,
                              "internal"),
    "gov.realtime_data": ("Decision dashboards with sources, update times and a log of their use", None, "internal"),
    "gov.digital_literacy": ("Digital-literacy baseline for all staff with completion records", None, "internal"),
}

#: How `res.platform_concentration` is described in its text evidence.
CONCENTRATION_EVIDENCE = ("Channel-mix analytics export, 12 months to {month}: the largest platform company holds "
                          "{value:g} percentage points more of the ministry's audience than of its priority "
                          "audience's social-media users")


@dataclass(frozen=True)
class NextRound:
    """A ministry's round on 1.1.0, made from its round of period `source` on 1.0.0."""

    ministry: str
    source: str
    period: str  # a round label; a second round in one year is "2026-H2", never a year still to come
    date: str
    status: str
    assessors: tuple[str, ...]
    notes: str
    new: dict[str, tuple[float, str]]
    updates: dict[str, tuple[float, str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The round's id and file name stem: ministry and period, lowercase as ids must be."""
        return f"{self.ministry}-{self.period.lower()}"


NEXT_ROUNDS: tuple[NextRound, ...] = (
    NextRound(
        ministry="maravu-mfa", source="2025", period="2026", date="2026-06-26", status="submitted",
        assessors=("Communications officer, Ministry of Foreign Affairs", "Director, Multilateral Affairs"),
        notes="First round on rubric 1.1.0, started from the 2025 round: carried answers were confirmed one by one; "
              "the consular sub-dimension and the regional help-line arrangement are credited for the first time.",
        new={
            "fun.digital_conduct": (1, "Regional forum calls run on whatever tool the host chooses; no rule on content."),
            "con.travel_advice": (2, "Cyclone-season advice pages for the three main destinations; no review dates."),
            "con.help_desks": (3, "A written arrangement with the regional forum's 24/7 watch centre answers calls and "
                                  "messages for Maravuans abroad after hours."),
            "con.crisis_nationals": (3, "Seasonal-worker liaison officers keep lists of workers by farm and district; "
                                        "used in the 2025 floods abroad."),
            "res.platform_concentration": (4, "92% of the audience is on one platform company, but 88% of Maravuans "
                                              "online use it: the excess is small."),
            "rea.language_coverage": (2, "Maravuan, English and French, chosen for the islands, partners and the "
                                         "regional forum."),
            "rea.public_digital_literacy": (2, "Radio segments on spotting fake embassy pages, in Maravuan only."),
            "eth.takedown_requests": (1, "Two requests about false cyclone alerts were made by e-mail; no criteria."),
            "gov.realtime_data": (1, "Officers bring screenshots of forecasts and case counts to crisis meetings."),
            "gov.digital_literacy": (1, "Staff attend the regional forum's optional online course when they can."),
        },
        updates={"sec.incident_response": (1, "A draft account-hijack checklist exists since the 2025 review; not yet "
                                              "approved.")},
    ),
    NextRound(
        ministry="calvessa-mfa", source="2025", period="2026", date="2026-07-10", status="submitted",
        assessors=("Director, Digital and Multilingual Communication", "Regional Languages Office"),
        notes="Round on rubric 1.1.0, started from the 2025 round. Languages are now scored in bands: nine regular "
              "languages from a written audience map.",
        new={
            "fun.digital_conduct": (2, "Approved secure video tool and content rule at headquarters; missions not yet."),
            "con.travel_advice": (3, "Dated advice with risk levels for every destination, in five languages, "
                                     "reviewed quarterly."),
            "con.help_desks": (2, "Published emergency numbers per mission; the messaging-app channel is a pilot."),
            "con.crisis_nationals": (2, "Written procedure relies on registered nationals; migrant workers in the "
                                        "Gulf states are not reached."),
            "res.platform_concentration": (12, "Audience spread across regional messaging apps and two platform "
                                               "companies."),
            "rea.language_coverage": (4, "Nine languages a month, chosen from the written audience map, crisis "
                                         "messages included."),
            "rea.public_digital_literacy": (3, "Verification guides in every mission's outreach and pre-departure "
                                               "briefings, in seven languages."),
            "eth.takedown_requests": (3, "Published criteria, senior approval and a request log with outcomes."),
            "gov.realtime_data": (2, "A weekly consular data brief; crisis figures reach only the crisis cell."),
            "gov.digital_literacy": (2, "A written baseline and an optional course; completion is not tracked."),
        },
    ),
    NextRound(
        ministry="orrinth-mfa", source="2026", period="2026-H2", date="2026-11-20", status="submitted",
        assessors=("Director, Press and Public Diplomacy", "Chief Information Security Officer"),
        notes="Follow-up round on rubric 1.1.0 in the second half of 2026, started from the May 2026 round: the "
              "incident review asked for a check within the year. Hardware keys now cover every official account.",
        new={
            "fun.digital_conduct": (3, "Approved secure tools by classification at headquarters and every mission, "
                                       "with a procedure for online negotiation sessions."),
            "con.travel_advice": (3, "Dated country advice with risk levels, reviewed monthly, text-only version."),
            "con.help_desks": (3, "A 24/7 consular line by phone and messaging app, surge roster tested twice a year."),
            "con.crisis_nationals": (2, "Procedure covers registered nationals; estimates for unregistered ones are "
                                        "missing."),
            "res.platform_concentration": (22, "Two thirds of the audience on one platform company that holds a "
                                               "little over two fifths of the priority audience."),
            "rea.language_coverage": (2, "Orrinthian, English and the language of the largest diaspora."),
            "rea.public_digital_literacy": (2, "Impostor-account warnings after the hijack, on headquarters channels "
                                               "only."),
            "eth.takedown_requests": (2, "Internal criteria limit requests to impostors, threats and coordinated "
                                         "inauthentic behaviour; no public report."),
            "gov.realtime_data": (3, "Daily crisis dashboards from named sources reach headquarters and missions."),
            "gov.digital_literacy": (3, "Required baseline for all staff, including locally employed staff, tracked "
                                        "by HR."),
        },
        updates={"sec.account_security": (4, "Hardware keys on every official account, access reviewed quarterly, "
                                             "the review findings shared with two peer ministries.")},
    ),
    NextRound(
        ministry="dravenia-mfa", source="2025", period="2026", date="2026-06-12", status="submitted",
        assessors=("Head of Strategic Communication Directorate", "Deputy Head, Digital Unit"),
        notes="Round on rubric 1.1.0, started from the 2025 round (a team round; this one is consolidated by the "
              "directorate).",
        new={
            "fun.digital_conduct": (3, "Donor conferences and negotiation rounds held on approved secure tools, with "
                                       "rules by classification."),
            "con.travel_advice": (3, "Country advice with risk levels and dates, reviewed weekly for the region."),
            "con.help_desks": (3, "24/7 hotline and messaging channel in three languages, surge staff on call."),
            "con.crisis_nationals": (3, "Mission crisis plans with estimates of nationals abroad, refugees included."),
            "res.platform_concentration": (35, "Most of the audience follows one platform company abroad."),
            "rea.language_coverage": (3, "Five languages chosen from the audience map, crisis messages included."),
            "rea.public_digital_literacy": (3, "Verification guides for refugees abroad in every mission's outreach."),
            "eth.takedown_requests": (2, "Internal criteria; many requests, logged, but not reported publicly."),
            "gov.realtime_data": (3, "Daily listening and consular dashboards in every crisis meeting."),
            "gov.digital_literacy": (2, "A baseline and course exist; missions' completion is not tracked."),
        },
    ),
)
