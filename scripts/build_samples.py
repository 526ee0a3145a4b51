"""Build the fictional sample assessments in `sample_ministries/`.

Why this exists: the toolkit needs realistic data to demonstrate scoring, comparison, trends, N/A,
missing answers and the evidence cap, but no real ministry's self-assessment can be shipped. The
samples are therefore invented: eight ministries of invented countries, one for each archetype in
the domain brief (small island state on low bandwidth, country at war living on platforms, cultural
soft-power leader, cyber power, large middle power, newly digitising ministry, multilingual regional
hub, ministry hit by an account hijack). Hand-editing 14 files of 51 answers each would drift out of
step with the profiles, so the profiles live here as data and the files are generated from them.

How the data works:
- each profile starts from the brief's indicative level per dimension (`base`), which fills every
  level indicator not listed in `answers`;
- `answers` holds the deviations that carry the narrative (the strengths and weaknesses the brief
  names), the three metric values, N/A answers, notes, confidence and hand-written evidence;
- each later round lists only what changed since the round before (`Round.updates`), so a trend reads
  as a story: what the incident review fixed, what the new unit built;
- evidence not written by hand is derived from a per-indicator catalogue of typical artefacts
  (`ARTEFACTS`), so most answers carry plausible evidence and nothing is random.

Everything is deterministic: running the script twice writes identical files. Run it from anywhere:

    python scripts/build_samples.py            # write the files and print the score check
    python scripts/build_samples.py --check    # only print the score check

The score check recomputes each round's overall score the way docs/methodology.md defines it
(claimed and evidence-backed) so the stage spread can be confirmed without the toolkit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_next_rounds import CONCENTRATION_EVIDENCE, NEW_ARTEFACTS, NEXT_ROUNDS, NextRound  # noqa: E402 - 1.1.0 rounds
from sample_responses import responses_for  # noqa: E402 - team rounds (SPEC 12), kept in their own file

sys.path.insert(0, str(ROOT))  # the 1.1.0 rounds are made with the toolkit's own migration

OUT_DIR = ROOT / "sample_ministries"
RUBRIC = {"id": "digital-diplomacy", "version": "1.0.0"}
NEXT_VERSION = "1.1.0"  # the version the rounds of sample_next_rounds.py answer

# --------------------------------------------------------------------------------------------------
# The rubric's shape (digital-diplomacy 1.0.0): dimensions in order, indicators in order.
# --------------------------------------------------------------------------------------------------

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "instruments": (
        "ins.official_accounts", "ins.visual_storytelling", "ins.hashtag_campaigns",
        "ins.social_listening", "ins.public_engagement", "ins.cyber_diplomacy",
    ),
    "functions": (
        "fun.nation_branding", "fun.crisis_communication", "fun.support_mobilisation",
        "fun.counter_disinformation", "fun.tech_governance", "fun.tech_envoy",
    ),
    "crisis_readiness": (
        "cri.protocol", "cri.templates", "cri.monitoring", "cri.first_statement_hours",
        "cri.consular_channels", "cri.channel_redundancy", "cri.drills", "cri.coordination",
    ),
    "platform_dependence": (
        "res.audience_concentration", "res.owned_channels", "res.archiving", "res.contingency",
        "res.platform_relations", "res.jurisdiction_risk",
    ),
    "digital_divide": (
        "rea.languages", "rea.accessibility", "rea.low_bandwidth", "rea.audience_analytics",
        "rea.diaspora_networks", "rea.regional_platforms",
    ),
    "ethics": (
        "eth.attribution", "eth.influencer_disclosure", "eth.microtargeting",
        "eth.accuracy_corrections", "eth.audience_privacy", "eth.moderation_policy",
    ),
    "security": (
        "sec.account_security", "sec.impersonation", "sec.incident_response", "sec.supply_chain",
        "sec.training", "sec.classified_separation",
    ),
    "governance": (
        "gov.strategy", "gov.unit", "gov.measurement", "gov.budget", "gov.skills",
        "gov.leadership_accounts", "gov.change_management",
    ),
}
INDICATORS: tuple[str, ...] = tuple(i for ids in DIMENSIONS.values() for i in ids)
DIMENSION_OF: dict[str, str] = {i: d for d, ids in DIMENSIONS.items() for i in ids}


@dataclass(frozen=True)
class Metric:
    unit: str
    direction: int  # 1: higher is better; -1: lower is better
    low: float
    high: float
    evidence: str  # how the measurement is described in a generic text evidence item

    def score(self, value: float) -> float:
        """Goalpost normalisation as docs/methodology.md defines it, clipped to 0..100."""
        t = (value - self.low) if self.direction == 1 else (self.high - value)
        return max(0.0, min(100.0, 100.0 * t / (self.high - self.low)))


METRICS: dict[str, Metric] = {
    "cri.first_statement_hours": Metric("hours", -1, 1, 24,
        "Crisis statement log, 12 months to {month}: median {value:g} hours from a crisis becoming public to the first official statement"),
    "res.audience_concentration": Metric("percent", -1, 30, 90,
        "Channel-mix analytics export, {month}: {value:g}% of the total audience follows the ministry on its largest platform"),
    "rea.languages": Metric("languages", 1, 1, 10,
        "Publication log, 12 months to {month}: {value:g} languages with at least one post a month"),
    "res.platform_concentration": Metric("percentage points", -1, 0, 50, CONCENTRATION_EVIDENCE),  # 1.1.0
}
MAX_LEVEL = 4
UNSUPPORTED_CAP = 2
STAGES = ((80, "dynamic"), (60, "strategic"), (40, "established"), (20, "formative"), (0, "start-up"))

# --------------------------------------------------------------------------------------------------
# Generic evidence: the artefact that typically shows each indicator. `slug` set means the artefact is
# a public web page on the ministry's site; otherwise it is an internal document described in text.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Artefact:
    text: str
    slug: str | None = None
    sensitivity: str = "internal"  # of the text (and file) item; url items are public
    file: str | None = None  # file name stem when a stored copy is attached at level 3 and above


ARTEFACTS: dict[str, Artefact] = {
    "ins.official_accounts": Artefact("Account inventory of headquarters, minister and mission accounts with named owners", "accounts"),
    "ins.visual_storytelling": Artefact("Visual production guidelines with a sample of recent video and image posts", "media"),
    "ins.hashtag_campaigns": Artefact("Campaign plans with hashtags, partners and results", "campaigns"),
    "ins.social_listening": Artefact("Listening-tool licence and weekly listening reports sent to policy desks"),
    "ins.public_engagement": Artefact("Log of live Q&A sessions with a sampled reply rate", "live"),
    "ins.cyber_diplomacy": Artefact("Published statements on cyber policy and responsible state behaviour", "policy/cyber"),
    "fun.nation_branding": Artefact("Nation-branding plan with campaign evaluations", "country-brand"),
    "fun.crisis_communication": Artefact("Crisis communication playbook and timestamped public advisories", "travel-advice"),
    "fun.support_mobilisation": Artefact("Support-mobilisation plan with partner list and outcome tracking", "partners"),
    "fun.counter_disinformation": Artefact("Standard procedure for countering disinformation, with case log", "facts"),
    "fun.tech_governance": Artefact("Published positions in UN and regional digital-governance processes", "policy/digital"),
    "fun.tech_envoy": Artefact("Mandate of the tech and cyber envoy and record of engagements with platform firms", "tech-envoy"),
    "cri.protocol": Artefact("Crisis communication protocol with approval chain", file="crisis-communication-protocol"),
    "cri.templates": Artefact("Library of pre-cleared crisis message templates"),
    "cri.monitoring": Artefact("Monitoring roster and incident log"),
    "cri.first_statement_hours": Artefact("Crisis statement log with timestamps, last 12 months"),
    "cri.consular_channels": Artefact("Consular registration and emergency-alert channels", "consular/register"),
    "cri.channel_redundancy": Artefact("Channel map listing fallback channels for crisis messages"),
    "cri.drills": Artefact("Drill reports and after-action reviews"),
    "cri.coordination": Artefact("Coordination arrangements with agencies, international organisations and NGOs"),
    "res.audience_concentration": Artefact("Channel-mix analytics export: audience by platform"),
    "res.owned_channels": Artefact("Owned channels: website, e-mail and SMS subscription lists", "subscribe"),
    "res.archiving": Artefact("Content archive and export schedule", "archive"),
    "res.contingency": Artefact("Platform-risk register with contingency plans"),
    "res.platform_relations": Artefact("Named escalation contacts at platforms, with escalation log"),
    "res.jurisdiction_risk": Artefact("Assessment of platform ownership, jurisdiction and data risks"),
    "rea.languages": Artefact("Language coverage checked against the audience map", "languages"),
    "rea.accessibility": Artefact("Accessibility statement and latest audit", "accessibility"),
    "rea.low_bandwidth": Artefact("Text-only site version and page-weight tests on 3G", "lite"),
    "rea.audience_analytics": Artefact("Audience analytics by region, language and connectivity"),
    "rea.diaspora_networks": Artefact("Diaspora and community relay programme", "diaspora"),
    "rea.regional_platforms": Artefact("Channel list for regionally dominant platforms and messaging apps"),
    "eth.attribution": Artefact("Social-media terms naming who speaks on each account and disclosing paid promotion", "about/social-media"),
    "eth.influencer_disclosure": Artefact("Creator and influencer contracts with disclosure clauses"),
    "eth.microtargeting": Artefact("Rules on paid targeting, with platform ad-library entries"),
    "eth.accuracy_corrections": Artefact("Corrections log", "corrections"),
    "eth.audience_privacy": Artefact("Privacy assessment of listening and analytics tools"),
    "eth.moderation_policy": Artefact("Published moderation terms", "about/moderation"),
    "sec.account_security": Artefact("MFA coverage report and access list for official accounts", sensitivity="restricted"),
    "sec.impersonation": Artefact("Impersonator sweep and takedown log"),
    "sec.incident_response": Artefact("Account-hijack playbook with exercise records", sensitivity="restricted", file="account-incident-playbook"),
    "sec.supply_chain": Artefact("Risk review of suppliers, agencies and third-party tools with account access", sensitivity="restricted"),
    "sec.training": Artefact("Security training records for communication staff"),
    "sec.classified_separation": Artefact("Rules separating public channels from classified communication", sensitivity="restricted"),
    "gov.strategy": Artefact("Digital diplomacy strategy tied to foreign-policy objectives", "strategy", file="digital-diplomacy-strategy"),
    "gov.unit": Artefact("Organisation chart and mandate of the digital unit"),
    "gov.measurement": Artefact("Evaluation framework and latest evaluation report"),
    "gov.budget": Artefact("Budget lines for digital diplomacy"),
    "gov.skills": Artefact("Training curriculum and attendance records"),
    "gov.leadership_accounts": Artefact("Policy on official and personal accounts of leaders and heads of mission", "about/accounts-policy"),
    "gov.change_management": Artefact("Change programme plan and progress reviews"),
}

ARTEFACTS.update({ind: Artefact(text, slug, sensitivity) for ind, (text, slug, sensitivity) in NEW_ARTEFACTS.items()})
NEW_INDICATORS: tuple[str, ...] = tuple(NEW_ARTEFACTS)


def _position(ind: str) -> int:
    """An indicator's place among all the samples' indicators (1.0.0 first, then those new in 1.1.0)."""
    return INDICATORS.index(ind) if ind in INDICATORS else len(INDICATORS) + NEW_INDICATORS.index(ind)


# How a generic text item describes the artefact's maturity at each level (variants keep the files
# from reading like a form; the variant is chosen by the indicator's position, not at random).
LEVEL_PHRASES: dict[int, tuple[str, ...]] = {
    1: ("informal, kept by individual staff; no approved version",
        "working notes of one officer, not shared with missions",
        "ad hoc; exists only as e-mails between the staff involved"),
    2: ("written but partial; not yet applied across all missions",
        "draft covering headquarters only",
        "adopted in {year}, applied unevenly; no owner or review date"),
    3: ("approved and in use at headquarters and missions, with a named owner; last reviewed {month}",
        "in force across the network, owner named, reviewed {month}",
        "applied by headquarters and missions; annual review completed {month}"),
    4: ("externally evaluated in {year}; the revised edition is in use and has been shared with peer ministries",
        "evaluated and revised after a {year} review; adopted as a model by partner ministries",
        "third revision in use after an independent evaluation in {year}"),
}

# --------------------------------------------------------------------------------------------------
# Profile data types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ev:
    """A hand-written evidence item. `value` is the URL or text, or the file name for kind "file"."""

    kind: str
    value: str
    description: str
    sensitivity: str = "internal"


NO_EVIDENCE: tuple[Ev, ...] = ()


@dataclass(frozen=True)
class A:
    """One answer, or the fields of an answer that change in a later round (None: unchanged).

    Notes, confidence and hand-written evidence carry over to later rounds until an update replaces
    them; a new level re-derives the default target.
    """

    level: int | None = None
    note: str | None = None
    value: float | None = None
    na: str | None = None  # the N/A reason; setting it marks the answer N/A
    confidence: str | None = None  # unset: "high"
    target: int | None = None  # unset: level + 1 for levels 0-2, none from level 3
    evidence: tuple[Ev, ...] | None = None  # None: generated from ARTEFACTS; NO_EVIDENCE: none

    def merged(self, update: A) -> A:
        """This answer with the fields the update sets replaced."""
        if update.na is not None:
            return update
        changes = {name: getattr(update, name) for name in self.__dataclass_fields__
                   if getattr(update, name) is not None}
        if update.level is not None or update.value is not None:
            changes["na"] = None  # an answer with a level or value is no longer N/A
        if update.level is not None and update.target is None:
            changes["target"] = None  # a new level re-derives its default target
        return replace(self, **changes)


@dataclass(frozen=True)
class Round:
    period: str
    date: str
    status: str
    assessors: tuple[str, ...]
    notes: str
    updates: dict[str, A] = field(default_factory=dict)  # changes since the previous round
    missing: tuple[str, ...] = ()  # indicators left unanswered in this round


@dataclass(frozen=True)
class Profile:
    id: str
    country: str  # the invented country's full name
    short: str  # its short name, for the ministry's name and web domain
    iso3: str
    region: str
    archetype: str
    summary: str  # one line for the README
    base: tuple[int, ...]  # INS / FUN / CRI / RES / REA / ETH / SEC / GOV, from the brief
    answers: dict[str, A]
    rounds: tuple[Round, ...]

    @property
    def domain(self) -> str:
        return f"mfa.{self.short.lower()}.example"

    @property
    def name(self) -> str:
        return f"Ministry of Foreign Affairs of {self.country}"


# --------------------------------------------------------------------------------------------------
# The eight fictional ministries. Countries, people, sites and events are all invented.
# --------------------------------------------------------------------------------------------------

MARAVU = Profile(
    id="maravu-mfa",
    country="the Republic of Maravu",
    short="Maravu",
    iso3="XMV",
    region="Azure Archipelago",
    archetype="Small island state on low bandwidth",
    summary="Climate coalitions and radio/SMS relays carry it; one cable, one platform and a shared password hold it back.",
    base=(1, 2, 2, 1, 2, 2, 1, 1),
    answers={
        "ins.official_accounts": A(1, "One ministry page and the minister's account; missions have no accounts of their own."),
        "ins.visual_storytelling": A(1, "Most posts are scanned letters or flyers as images, with no text version."),
        "ins.hashtag_campaigns": A(2, "The #TidesRising coalition hashtag is planned with partner islands before each climate summit."),
        "ins.social_listening": A(0, "Nobody monitors beyond reading comments on the ministry page."),
        "ins.cyber_diplomacy": A(na="No cyber-diplomacy programme; cyber questions are followed through the regional forum secretariat."),
        "fun.support_mobilisation": A(3, "Climate advocacy runs through island coalitions: joint statements, shared spokespeople, tracked commitments.", evidence=(
            Ev("text", "Joint statement of the Azure Archipelago climate coalition at the regional ministerial, co-drafted by Maravu, with a tracker of 11 commitments obtained", "Coalition statement and commitment tracker", "public"),
            Ev("url", "https://mfa.maravu.example/climate/coalition", "Coalition page with statements and speaker rota", "public"),
        )),
        "fun.counter_disinformation": A(1, "Rumours are answered case by case on the radio slot; no written method."),
        "fun.tech_governance": A(1, "Follows digital-governance talks only through the regional group's common positions."),
        "fun.tech_envoy": A(na="No tech envoy: a foreign service of 40 people cannot staff one; the regional forum speaks for its members."),
        "cri.templates": A(1, "Cyclone messages are written from scratch each time."),
        "cri.monitoring": A(1, "The duty officer checks the news and the ministry page after hours when a storm is forecast."),
        "cri.first_statement_hours": A(value=12, note="Slow when the cable is degraded; statements wait for the minister's sign-off by phone.", confidence="medium"),
        "cri.consular_channels": A(3, "Consular alerts go out by SMS, the national radio's evening slot and church networks abroad.", evidence=(
            Ev("text", "Arrangement with the national broadcaster and the council of churches to relay consular alerts by radio and SMS, signed February 2024", "Relay arrangement", "internal"),
            Ev("url", "https://mfa.maravu.example/consular/sms-alerts", "How to subscribe to SMS consular alerts", "public"),
        )),
        "cri.drills": A(1, "Took part in one regional cyclone exercise; no after-action review of its own."),
        "cri.coordination": A(3, "Works closely with the disaster office, churches and regional bodies during cyclones.",
                              confidence="medium", evidence=NO_EVIDENCE),
        "res.audience_concentration": A(value=92, note="Almost the whole audience follows the ministry on one social network."),
        "res.owned_channels": A(1, "Website exists but is image-heavy and rarely updated."),
        "res.archiving": A(0, "Nothing is archived; posts from before 2022 are lost."),
        "res.contingency": A(1, "When the only submarine cable failed, satellite phones were the sole link to missions; no written plan since.", evidence=(
            Ev("text", "After-action note on the three-week cable outage: satellite phones were the only link to missions and the public page went silent", "Cable outage note", "internal"),
        )),
        "res.platform_relations": A(1, "No contact at any platform; problems go through a general help form."),
        "res.jurisdiction_risk": A(1, "Platform ownership and data location have never been assessed."),
        "rea.languages": A(value=3, note="Maravuan, English and French, the last only for the regional forum."),
        "rea.accessibility": A(1, "Image-only posts carry no alt text or captions."),
        "rea.low_bandwidth": A(3, "Weekly radio slot and text-only SMS bulletins reach outer islands without data.", evidence=(
            Ev("text", "Schedule of the weekly 'Maravu Abroad' radio slot and SMS bulletin archive, 2024", "Radio and SMS bulletin schedule", "public"),
        )),
        "rea.audience_analytics": A(1, "Only the page's built-in statistics are looked at, occasionally."),
        "rea.diaspora_networks": A(3, "Church and seasonal-worker networks abroad relay messages both ways.", confidence="medium"),
        "eth.influencer_disclosure": A(na="No influencer, creator or paid-promotion programme of any kind."),
        "eth.moderation_policy": A(1, "Comments are deleted at the officer's discretion; no published terms."),
        "sec.account_security": A(1, "Two staff share one password for the main account; codes go by SMS to a personal phone.", confidence="high"),
        "sec.impersonation": A(1, "A fake 'Maravu Embassy' page was reported once by a citizen; no routine sweeps."),
        "sec.incident_response": A(0, "No plan for a hijacked account."),
        "sec.training": A(1, "One staff member attended a regional security webinar."),
        "sec.classified_separation": A(2),
        "gov.strategy": A(1, "Digital work follows the minister's priorities; no strategy document."),
        "gov.unit": A(1, "Two staff handle the accounts alongside protocol duties and share one login."),
        "gov.budget": A(0, "No budget line; costs come from the protocol allocation."),
        "gov.leadership_accounts": A(2, "The minister's account is separate from the ministry's; handover rules not written."),
    },
    rounds=(
        Round("2024", "2024-10-18", "submitted",
              ("Communications officer, Ministry of Foreign Affairs", "Director, Multilateral Affairs"),
              "First self-assessment, prepared for a regional capacity-building workshop."),
        Round("2025", "2025-11-07", "reviewed",
              ("Communications officer, Ministry of Foreign Affairs", "Director, Multilateral Affairs",
               "Peer reviewer, regional forum secretariat"),
              "Second round, reviewed by a peer from the regional forum. Improvements follow the regional security training.",
              updates={
                  "sec.account_security": A(2, "After the regional training each officer has a personal login and app-based codes on the main account; the minister's account still uses SMS."),
                  "sec.training": A(2, "Both digital staff completed the regional account-security course."),
                  "gov.unit": A(1, "Still two staff alongside protocol duties, now with personal logins."),
                  "cri.templates": A(2, "Cyclone and evacuation templates drafted in Maravuan and English; not yet in French."),
                  "cri.first_statement_hours": A(value=8, note="Faster since templates were drafted; the cable still slows sign-off."),
                  "gov.strategy": A(2, "A two-page communication plan drafted with regional forum support, awaiting cabinet approval.", target=3),
                  "rea.accessibility": A(2, "Alt text added to posts since March 2025; flyers still image-only on the website."),
                  "res.archiving": A(1, "Monthly manual export of the ministry page to a shared drive."),
                  "res.audience_concentration": A(value=90, note="A WhatsApp-style broadcast list started in 2025 takes a small share from the main platform."),
              }),
    ),
)

DRAVENIA = Profile(
    id="dravenia-mfa",
    country="the Republic of Dravenia",
    short="Dravenia",
    iso3="XDV",
    region="Northern Marches",
    archetype="Country at war living on platforms",
    summary="Fast, emotive storytelling, donor mobilisation and hardened accounts; fragile on platforms it does not control, combative in tone.",
    base=(4, 4, 3, 1, 3, 2, 3, 2),
    answers={
        "ins.visual_storytelling": A(4, "Daily short videos from the minister and from the front, cut natively for each platform.", evidence=(
            Ev("url", "https://mfa.dravenia.example/video", "Video channel index with production notes", "public"),
            Ev("text", "Short-video production guide, third edition, adopted by two allied ministries in 2025", "Production guide", "internal"),
        )),
        "ins.social_listening": A(3, "A listening desk briefs the minister's office twice a day."),
        "ins.cyber_diplomacy": A(3, "Regular public statements on cyber attacks against its infrastructure."),
        "fun.crisis_communication": A(4),
        "fun.support_mobilisation": A(4, "The state donation portal and pledge campaigns are tied to each diplomatic push.", evidence=(
            Ev("url", "https://give.dravenia.example/", "State donation portal with public reporting of funds raised", "public"),
            Ev("file", "donor-campaign-evaluation-2025.pdf", "Independent evaluation of the 2024-2025 donor campaigns", "internal"),
        )),
        "fun.counter_disinformation": A(3, "Daily debunks, but often tit-for-tat rather than early factual messaging."),
        "fun.tech_governance": A(3),
        "fun.tech_envoy": A(4, "A deputy minister acts as envoy to platform firms; public open letters to platform CEOs obtained policy changes.", evidence=(
            Ev("url", "https://mfa.dravenia.example/open-letters", "Open letters to platform chief executives and the replies", "public"),
        )),
        "cri.monitoring": A(4, "Round-the-clock monitoring cell since the war began."),
        "cri.first_statement_hours": A(value=0.75, note="Statements usually within the hour; the minister often posts a video first."),
        "cri.channel_redundancy": A(2, "Alerts depend on two foreign-owned platforms and one messaging app; SMS only inside the country."),
        "cri.drills": A(2, "Real events serve as drills; lessons are discussed but rarely written up.", confidence="medium"),
        "res.audience_concentration": A(value=78, note="Most of the audience sits on one short-video platform and one microblog."),
        "res.owned_channels": A(2, "The website is kept up, but there is no e-mail or SMS list for audiences abroad."),
        "res.archiving": A(1, "Only what staff save by hand; a takedown would lose years of posts."),
        "res.contingency": A(1, "No plan if the main messaging app is blocked or sold."),
        "res.platform_relations": A(3, "Direct contacts at the main platforms answer within hours.",
                                    confidence="medium", evidence=NO_EVIDENCE),
        "res.jurisdiction_risk": A(1, "The ownership and data jurisdiction of the main messaging app have not been assessed."),
        "rea.languages": A(value=6, note="Dravenian and five languages of donor countries."),
        "rea.accessibility": A(2),
        "rea.diaspora_networks": A(4, "Diaspora associations in 30 countries run local campaigns with ministry toolkits."),
        "eth.attribution": A(3, "Every account states who runs it; paid boosts are labelled.",
                             confidence="medium", evidence=NO_EVIDENCE),
        "eth.influencer_disclosure": A(1, "Volunteer creators amplify ministry content; paid collaborations are not always disclosed."),
        "eth.accuracy_corrections": A(2, "Corrections are rare and quiet; the combative tone discourages admitting errors."),
        "eth.moderation_policy": A(1, "Hostile commenters are blocked without published rules."),
        "sec.account_security": A(4, "Hardware keys on every central account after repeated takeover attempts.", evidence=(
            Ev("text", "Access review log: hardware security keys for all 14 staff with access to central accounts, reviewed monthly", "Access review log", "restricted"),
            Ev("file", "mfa-coverage-2025-q3.pdf", "MFA coverage report, third quarter 2025", "restricted"),
        )),
        "sec.incident_response": A(4),
        "sec.supply_chain": A(2),
        "gov.strategy": A(1, "Priorities are set in the minister's office day by day; no written strategy.", target=2),
        "gov.unit": A(3),
        "gov.skills": A(3),
        "gov.leadership_accounts": A(2, "The minister's personal account carries most messages; no rule on handover or records."),
        "gov.change_management": A(1, "Decisions depend on a few people and are not documented."),
    },
    rounds=(
        Round("2025", "2025-09-12", "reviewed",
              ("Head of Strategic Communication Directorate", "Deputy Head, Digital Unit",
               "External reviewer, university digital-diplomacy programme"),
              "Assessment made in wartime conditions; some internal documents were described rather than attached."),
    ),
)

ORIANDEL = Profile(
    id="oriandel-mfa",
    country="the Republic of Oriandel",
    short="Oriandel",
    iso3="XOD",
    region="Eastern Littoral",
    archetype="Cultural soft-power leader",
    summary="A statutory plan, entertainment partnerships and honorary foreign creators; reach borrowed from fandoms and consular work lagging behind.",
    base=(3, 4, 2, 2, 3, 2, 2, 4),
    answers={
        "ins.visual_storytelling": A(4, "Music-video-quality content produced with entertainment agencies."),
        "ins.hashtag_campaigns": A(4, "Fan communities co-create campaign hashtags in a dozen languages."),
        "ins.cyber_diplomacy": A(1, "Cyber policy is rarely communicated in public."),
        "fun.nation_branding": A(4, "Partnerships with three entertainment agencies; a pop group served as honorary envoy at a UN event in 2024.", evidence=(
            Ev("text", "Partnership agreements with three entertainment agencies, renewed January 2025, with campaign evaluation", "Agency partnership agreements", "internal"),
            Ev("url", "https://mfa.oriandel.example/culture/envoys", "Honorary cultural envoys and their appearances", "public"),
        )),
        "fun.crisis_communication": A(3),
        "fun.counter_disinformation": A(3),
        "fun.tech_governance": A(3),
        "fun.tech_envoy": A(2, "A digital-affairs counsellor covers platform firms part time."),
        "cri.monitoring": A(3, "Monitoring desk covers office hours plus weekend duty.",
                            confidence="medium", evidence=NO_EVIDENCE),
        "cri.first_statement_hours": A(value=10, note="Consular statements wait for the branding team's visual templates."),
        "cri.consular_channels": A(2, "Registration exists, but alerts go by e-mail only and the app is an afterthought to the culture portal.", target=3),
        "cri.drills": A(1, "No consular communication exercise in three years."),
        "res.audience_concentration": A(value=70, note="Most reach comes through fandom accounts on one video platform."),
        "res.owned_channels": A(3, "A culture portal with newsletter and its own app."),
        "res.archiving": A(3),
        "res.contingency": A(1, "Reach is borrowed from fandoms; no plan if the fandom platforms change their rules.", confidence="medium"),
        "res.platform_relations": A(3),
        "rea.languages": A(value=7, note="Oriandelese and six languages of the largest fan markets."),
        "rea.low_bandwidth": A(2),
        "rea.audience_analytics": A(3, "Fan-market analytics by country and language.",
                                    confidence="medium", evidence=NO_EVIDENCE),
        "rea.diaspora_networks": A(4, "Honorary foreign creators write about Oriandel in their own languages.", evidence=(
            Ev("url", "https://culture.oriandel.example/honorary-creators", "Honorary foreign creators programme: 3,900 creators from 110 countries in 2025", "public"),
        )),
        "eth.attribution": A(3),
        "eth.influencer_disclosure": A(1, "Creator contracts do not require disclosure labels; many sponsored posts are unlabelled.", target=3),
        "eth.accuracy_corrections": A(2),
        "sec.impersonation": A(2, "Fake 'official' fan accounts appear weekly; takedowns on request only."),
        "sec.classified_separation": A(3),
        "gov.strategy": A(4, "A five-year statutory master plan for cultural and digital outreach under the Cultural Outreach Act.", evidence=(
            Ev("url", "https://mfa.oriandel.example/cultural-outreach-plan-2024-2028", "Cultural Outreach Master Plan 2024-2028", "public"),
            Ev("file", "cultural-outreach-master-plan-2024-2028.pdf", "Master plan as adopted by the coordinating committee", "public"),
        )),
        "gov.measurement": A(3),
        "gov.skills": A(3),
        "gov.leadership_accounts": A(3),
    },
    rounds=(
        Round("2025", "2025-12-03", "reviewed",
              ("Director-General, Public Diplomacy", "Digital Outreach Division", "Auditor, Cultural Outreach Committee"),
              "Annual review under the Cultural Outreach Act."),
    ),
)

VANTORIA = Profile(
    id="vantoria-mfa",
    country="the Federation of Vantoria",
    short="Vantoria",
    iso3="XVT",
    region="Northern Marches",
    archetype="Cyber power",
    summary="Cyber envoy, attribution statements and mature incident response; dry, English-only posts with little dialogue.",
    base=(2, 4, 3, 3, 2, 2, 4, 3),
    answers={
        "ins.official_accounts": A(3),
        "ins.visual_storytelling": A(1, "Text statements and PDF links; almost no images or video."),
        "ins.hashtag_campaigns": A(1),
        "ins.social_listening": A(3, "Threat-intelligence style listening shared with the cyber directorate.",
                                  confidence="medium", evidence=NO_EVIDENCE),
        "ins.public_engagement": A(1, "Replies to fewer than one comment in a hundred; no live sessions."),
        "ins.cyber_diplomacy": A(4, "Joint attribution statements with partners and regular explainers on cyber norms.", evidence=(
            Ev("url", "https://mfa.vantoria.example/cyber/attributions", "Attribution statements, 2021-2025", "public"),
        )),
        "fun.nation_branding": A(2, "Little branding beyond the technology sector."),
        "fun.crisis_communication": A(3),
        "fun.support_mobilisation": A(3),
        "fun.counter_disinformation": A(4),
        "fun.tech_governance": A(4, "Leads a cross-regional group in the UN cyber talks and publishes every national statement.", evidence=(
            Ev("url", "https://mfa.vantoria.example/cyber/un-statements-2025", "National statements to the UN working group on ICT security, 2025", "public"),
        )),
        "fun.tech_envoy": A(4, "An Ambassador for Cyber and Digital Affairs with a published mandate and a team of twelve.", evidence=(
            Ev("url", "https://mfa.vantoria.example/cyber-ambassador", "Mandate of the Ambassador for Cyber and Digital Affairs", "public"),
        )),
        "cri.first_statement_hours": A(value=3),
        "cri.channel_redundancy": A(4),
        "cri.drills": A(4, "Joint exercises with the national cyber centre every six months, with published summaries."),
        "res.audience_concentration": A(value=45),
        "res.owned_channels": A(4),
        "res.archiving": A(4, "Everything posted is archived nightly to a government records system."),
        "res.jurisdiction_risk": A(4, "Foreign-owned apps are banned on government devices after a written risk assessment."),
        "rea.languages": A(value=1, note="Posts only in English; national-language material sits on a separate government portal."),
        "rea.accessibility": A(3),
        "rea.diaspora_networks": A(1),
        "rea.regional_platforms": A(1, "Present only on global platforms."),
        "eth.attribution": A(3),
        "eth.influencer_disclosure": A(na="The ministry does not work with influencers or creators, paid or unpaid."),
        "eth.audience_privacy": A(3),
        "eth.moderation_policy": A(1),
        "sec.account_security": A(4),
        "sec.impersonation": A(3),
        "sec.incident_response": A(4, "Tested hijack playbook; off-platform confirmation channel agreed with partner ministries."),
        "sec.supply_chain": A(4, "Supplier audits after the 2020 supply-chain compromise; results are classified and not attached.",
                              confidence="medium", evidence=NO_EVIDENCE),
        "sec.training": A(3),
        "gov.measurement": A(2, "Counts statements and reach; no outcome measures.", confidence="medium"),
        "gov.leadership_accounts": A(2),
    },
    rounds=(
        Round("2025", "2025-10-22", "submitted",
              ("Head of Digital Communication", "Office of the Ambassador for Cyber and Digital Affairs"),
              "Self-assessment; security evidence was reviewed on site and is described, not attached."),
    ),
)

BELMARA = Profile(
    id="belmara-mfa",
    country="the Federal Republic of Belmara",
    short="Belmara",
    iso3="XBM",
    region="Central Plateau",
    archetype="Large middle power",
    summary="A large consular network and a strong crisis cell; 120+ mission accounts without a registry, follower-count KPIs, inboxes that overflow at surge.",
    base=(3, 3, 3, 2, 2, 2, 2, 2),
    answers={
        "ins.official_accounts": A(2, "127 mission accounts with no central registry; nine handles still belong to former ambassadors."),
        "ins.hashtag_campaigns": A(3, "Regular campaigns around summits and national days.", confidence="medium", evidence=NO_EVIDENCE),
        "ins.social_listening": A(2, "A listening tool at headquarters; missions are not covered."),
        "fun.crisis_communication": A(4, "The crisis cell's public messaging is praised by partner ministries.",
                                      confidence="medium", evidence=NO_EVIDENCE),
        "fun.counter_disinformation": A(2),
        "fun.tech_envoy": A(2),
        "cri.protocol": A(4, "A standing crisis cell with a written approval chain that clears statements within an hour.", evidence=(
            Ev("file", "crisis-cell-sop-v4.pdf", "Crisis cell standard operating procedure, version 4, approved by the Secretary-General, March 2025", "internal"),
            Ev("text", "Crisis communication protocol v4, approved by the Secretary-General, March 2025", "Crisis protocol", "internal"),
        )),
        "cri.first_statement_hours": A(value=4),
        "cri.consular_channels": A(3, "Registration app and SMS alerts work, but the shared consular inbox overflowed during the 2024 evacuation.", target=4, evidence=(
            Ev("text", "After-action review of the 2024 evacuation: the shared consular inbox held 4,200 unread e-mails at peak; about one request in five got a reply within 48 hours", "Evacuation after-action review", "internal"),
            Ev("url", "https://mfa.belmara.example/consular/register", "Registration for nationals abroad", "public"),
        )),
        "cri.drills": A(2, "One tabletop exercise a year at headquarters; missions do not take part."),
        "res.audience_concentration": A(value=60),
        "res.owned_channels": A(3),
        "res.archiving": A(1, "Headquarters accounts are archived; mission accounts are not."),
        "rea.languages": A(value=4),
        "rea.low_bandwidth": A(1, "Heavy pages; no text-only version."),
        "rea.diaspora_networks": A(3),
        "eth.accuracy_corrections": A(3),
        "eth.moderation_policy": A(1, "Each mission moderates its own comments; no common terms."),
        "sec.impersonation": A(1, "Without a registry, fake mission accounts go unnoticed for months."),
        "sec.classified_separation": A(3),
        "sec.account_security": A(2, "Central accounts use MFA; nobody knows the state of the 127 mission accounts."),
        "gov.unit": A(3),
        "gov.measurement": A(1, "The quarterly board report ranks missions by follower growth only.", evidence=(
            Ev("text", "Quarterly report to the board ranking missions by follower growth, Q2 2025", "Board report", "internal"),
        )),
    },
    rounds=(
        Round("2025", "2025-06-30", "reviewed",
              ("Director, Public Diplomacy and Communication", "Head, Consular Crisis Centre",
               "Inspector, Office of the Inspector-General"),
              "Reviewed by the Inspector-General's office as part of the 2025 inspection of public diplomacy."),
        Round("2026", "2026-10-09", "draft",
              ("Director, Public Diplomacy and Communication", "Head, Consular Crisis Centre"),
              "Draft in progress: the account registry project has started; several answers are still being collected from missions.",
              updates={
                  "ins.official_accounts": A(3, "Account registry created in 2026: 104 of 127 mission accounts registered, handles renamed after positions.", confidence="medium"),
                  "sec.account_security": A(2, "MFA now checked on registered mission accounts; 23 accounts still unknown.", confidence="low"),
                  "gov.measurement": A(2, "Draft evaluation framework adds engagement and outcome measures; board still sees follower counts.", confidence="medium"),
                  "cri.first_statement_hours": A(value=3.5),
                  "cri.consular_channels": A(3, "A case-management pilot replaces the shared inbox at two regional hubs.", target=4),
              },
              missing=("res.audience_concentration", "rea.audience_analytics", "eth.audience_privacy",
                       "sec.supply_chain", "gov.budget")),
    ),
)

TUMBARO = Profile(
    id="tumbaro-mfa",
    country="the Republic of Tumbaro",
    short="Tumbaro",
    iso3="XTB",
    region="Central Plateau",
    archetype="Newly digitising ministry",
    summary="Committed leadership and donor-funded training; a static site, unclaimed handles, no online advisories and no policies yet.",
    base=(1, 1, 0, 0, 1, 0, 1, 1),
    answers={
        "ins.official_accounts": A(1, "Only a ministry page; the ministry's handle on two platforms is unclaimed and one is held by an impostor."),
        "ins.visual_storytelling": A(1, "Photos of meetings and handshakes."),
        "ins.hashtag_campaigns": A(0),
        "ins.social_listening": A(0),
        "fun.counter_disinformation": A(0),
        "fun.tech_envoy": A(0),
        "cri.first_statement_hours": A(note="No record of crisis statements is kept; the figure cannot be measured yet.", confidence="low"),
        "cri.consular_channels": A(1, "A telephone hotline at headquarters; travel advice is posted on paper at the ministry, not online."),
        "cri.coordination": A(1),
        "res.audience_concentration": A(value=97, note="Everything goes through one ministry page on one social network."),
        "res.owned_channels": A(1, "A static website last updated in 2021."),
        "rea.languages": A(value=2),
        "rea.accessibility": A(0),
        "rea.audience_analytics": A(0),
        "eth.attribution": A(1),
        "eth.microtargeting": A(na="No paid promotion or targeting of any kind; no budget for it."),
        "sec.account_security": A(0, "The press office shares one login with no second factor."),
        "sec.incident_response": A(0),
        "sec.classified_separation": A(2),
        "gov.strategy": A(0, "No strategy; the new minister has asked for one."),
        "gov.measurement": A(0),
        "gov.budget": A(1, "Digital work is funded by a development-partner project."),
        "gov.skills": A(2, "Donor-funded training: 18 staff trained in 2024.", evidence=(
            Ev("text", "Training report of the donor-funded digital-skills project: 18 staff trained in 2024, curriculum attached", "Training report", "internal"),
        )),
        "gov.leadership_accounts": A(3, "The minister posts personally and champions the change.",
                                     confidence="low", evidence=NO_EVIDENCE),
    },
    rounds=(
        Round("2024", "2024-05-15", "submitted",
              ("Head of Information and Press", "Project coordinator, digital-skills project"),
              "Baseline assessment at the start of the donor-funded digitalisation project."),
        Round("2025", "2025-05-20", "reviewed",
              ("Head of Information and Press", "Project coordinator, digital-skills project",
               "Reviewer, development-partner evaluation team"),
              "Mid-term review of the digitalisation project. The reviewer lowered leadership accounts to 2 pending a written policy.",
              updates={
                  "ins.official_accounts": A(2, "Handles claimed on three platforms; the impostor account was removed after a report."),
                  "fun.crisis_communication": A(1, "Advisories now appear on the ministry page, irregularly."),
                  "cri.protocol": A(1, "The press head clears crisis posts by phone; nothing written yet."),
                  "cri.first_statement_hours": A(value=36, note="Median of five incidents logged since January; statements wait for the minister's return.", confidence="medium"),
                  "cri.consular_channels": A(1, "Travel advice now published on the website, but not updated on a schedule."),
                  "sec.account_security": A(1, "Individual logins since the training; codes by SMS."),
                  "sec.training": A(2, "Account-security module added to the donor-funded course."),
                  "gov.leadership_accounts": A(2, "The reviewer found no written policy; the minister's commitment is real but undocumented.",
                                               confidence="high", evidence=(
                      Ev("url", "https://mfa.tumbaro.example/minister", "Minister's page linking his official accounts", "public"),
                  )),
                  "eth.accuracy_corrections": A(1, "One correction posted after a wrong visa notice."),
              }),
        Round("2026", "2026-06-11", "submitted",
              ("Head of the new Digital Diplomacy Unit", "Project coordinator, digital-skills project"),
              "Final-year assessment of the digitalisation project; a three-person digital unit was created in January 2026.",
              updates={
                  "gov.unit": A(2, "A three-person Digital Diplomacy Unit created in January 2026."),
                  "gov.strategy": A(1, "A strategy is being drafted with the development partner.", target=2),
                  "res.archiving": A(1, "Posts exported each quarter by the new unit."),
                  "cri.templates": A(1, "Two advisory templates drafted."),
                  "cri.first_statement_hours": A(value=20, note="Median of nine incidents in the last 12 months."),
                  "eth.microtargeting": A(1, "Started boosting posts in 2026; no written rule yet."),
                  "rea.accessibility": A(1, "Captions on videos since March 2026."),
                  "res.audience_concentration": A(value=88, note="A new e-mail newsletter takes a small share of the audience."),
              }),
    ),
)

CALVESSA = Profile(
    id="calvessa-mfa",
    country="the Federated States of Calvessa",
    short="Calvessa",
    iso3="XCV",
    region="Eastern Littoral",
    archetype="Multilingual regional hub",
    summary="Nine languages, regional messaging apps and transparent moderation; crisis messages in minority languages arrive hours late.",
    base=(3, 3, 2, 3, 4, 3, 2, 3),
    answers={
        "ins.hashtag_campaigns": A(2),
        "ins.public_engagement": A(4, "Weekly live Q&A, interpreted into three languages.", confidence="medium", evidence=NO_EVIDENCE),
        "ins.cyber_diplomacy": A(2),
        "fun.crisis_communication": A(2, "Crisis messages in minority languages follow the main one by hours."),
        "fun.tech_envoy": A(2),
        "cri.protocol": A(3),
        "cri.templates": A(2, "Templates pre-translated into three of nine languages; the rest wait for translators."),
        "cri.first_statement_hours": A(value=6, note="About 2 hours in the main language; minority-language versions follow 6 to 18 hours later."),
        "cri.consular_channels": A(3),
        "cri.channel_redundancy": A(3),
        "cri.drills": A(1, "No drill has tested translation under time pressure."),
        "res.audience_concentration": A(value=40, note="Audience spread over two global networks and three regional messaging apps."),
        "res.platform_relations": A(2),
        "rea.languages": A(value=9, note="Nine languages, including four minority languages of the region.", evidence=(
            Ev("url", "https://mfa.calvessa.example/languages", "Language coverage page listing the nine publishing languages", "public"),
            Ev("text", "Language coverage audit, 2025: monthly output per language against the audience map", "Language audit", "internal"),
        )),
        "rea.accessibility": A(3),
        "rea.audience_analytics": A(3),
        "rea.regional_platforms": A(4, "Official channels on the three regional messaging apps, each with its own editor."),
        "rea.low_bandwidth": A(4, "Text-only site and SMS digests in every language.", confidence="medium"),
        "eth.moderation_policy": A(4, "Published moderation terms and a quarterly moderation log.", evidence=(
            Ev("url", "https://mfa.calvessa.example/about/moderation", "Moderation terms", "public"),
            Ev("url", "https://mfa.calvessa.example/about/moderation/log-2025-q3", "Quarterly moderation log", "public"),
        )),
        "sec.classified_separation": A(3),
        "gov.budget": A(2),
        "gov.measurement": A(3, "Outcome indicators per language community.", confidence="low", evidence=NO_EVIDENCE),
    },
    rounds=(
        Round("2025", "2025-08-28", "submitted",
              ("Director, Digital and Multilingual Communication", "Regional Languages Office"),
              "Self-assessment prepared for the regional digital-diplomacy network."),
    ),
)

ORRINTH = Profile(
    id="orrinth-mfa",
    country="the Kingdom of Orrinth",
    short="Orrinth",
    iso3="XOR",
    region="Azure Archipelago",
    archetype="Ministry hit by an account hijack",
    summary="Large verified audiences and a quick public acknowledgement; a hijack exposed shared credentials and no fallback channel. Three rounds: before the incident review, after it, and a follow-up on rubric 1.1.0.",
    base=(3, 2, 2, 2, 2, 2, 1, 2),
    answers={
        "ins.official_accounts": A(4, "Verified accounts with 4.2 million followers across headquarters, minister and missions.", evidence=(
            Ev("url", "https://mfa.orrinth.example/accounts", "Official account directory with verification badges", "public"),
            Ev("text", "Account inventory: 61 accounts, all verified, each with a named owner", "Account inventory", "internal"),
        )),
        "ins.hashtag_campaigns": A(3, "Regional campaigns each quarter.", confidence="medium", evidence=NO_EVIDENCE),
        "ins.social_listening": A(2),
        "fun.nation_branding": A(3),
        "fun.tech_envoy": A(1),
        "cri.first_statement_hours": A(value=5),
        "cri.channel_redundancy": A(1, "When the false post went out during the regional crisis, no other channel could confirm the truth."),
        "cri.drills": A(1),
        "res.audience_concentration": A(value=84, note="The hijacked account alone holds most of the audience."),
        "res.owned_channels": A(1, "The website was not updated for four hours after the false post; no e-mail or SMS list."),
        "res.contingency": A(1, "No plan for losing control of the main account."),
        "res.platform_relations": A(2, "It took six hours to reach someone at the platform able to restore the account."),
        "rea.languages": A(value=3),
        "eth.attribution": A(3),
        "eth.accuracy_corrections": A(3, "Acknowledged the false post publicly within 40 minutes, from the minister's account.", evidence=(
            Ev("url", "https://mfa.orrinth.example/statements/2025-04-02-account-compromised", "Public acknowledgement of the compromised account", "public"),
            Ev("url", "https://mfa.orrinth.example/corrections", "Corrections log", "public"),
        )),
        "sec.account_security": A(1, "One shared credential, codes by SMS, and a contractor who left in 2024 still had access.", evidence=(
            Ev("text", "Incident timeline: the main account used a shared password with SMS codes to a contractor's phone; the contractor's access was never revoked after the contract ended in 2024", "Incident timeline", "restricted"),
        )),
        "sec.impersonation": A(1, "Copycat accounts spread the false post; no sweep or takedown routine."),
        "sec.incident_response": A(1, "No playbook; the response was improvised over a weekend."),
        "sec.supply_chain": A(1, "Agencies and contractors are given account access without review; the full list is still being compiled.", confidence="low"),
        "sec.classified_separation": A(2),
        "gov.change_management": A(1),
    },
    rounds=(
        Round("2025", "2025-05-16", "reviewed",
              ("Director, Press and Public Diplomacy", "Chief Information Security Officer",
               "Incident review panel (external chair)"),
              "Completed six weeks after the hijack of the main account on 2 April 2025, during a regional crisis; "
              "the state before the incident review."),
        Round("2026", "2026-05-29", "submitted",
              ("Director, Press and Public Diplomacy", "Chief Information Security Officer"),
              "One year on: the incident review's 14 recommendations, 11 of them implemented.",
              updates={
                  "sec.account_security": A(3, "Personal logins with hardware keys on all central accounts; quarterly access reviews; contractors offboarded the same day.", evidence=(
                      Ev("file", "incident-review-final-report-2025.pdf", "Final report of the incident review panel, October 2025", "restricted"),
                      Ev("text", "MFA coverage report, April 2026: hardware keys on 61 of 61 accounts; access list reviewed in January and April", "MFA coverage report", "restricted"),
                  )),
                  "sec.incident_response": A(3, "Hijack playbook with pre-drafted statements, tested in a February 2026 exercise."),
                  "sec.supply_chain": A(2, "Third-party access now listed and reviewed; agency contracts not yet amended.", confidence="high"),
                  "sec.impersonation": A(2, "Monthly impersonator sweeps with a takedown log."),
                  "sec.training": A(2),
                  "cri.channel_redundancy": A(3, "SMS and e-mail alert lists and a status page on the ministry site confirm or deny any post."),
                  "cri.protocol": A(3, "The crisis protocol now includes an off-platform confirmation step."),
                  "cri.drills": A(2, "First hijack drill held in February 2026; after-action review written."),
                  "cri.first_statement_hours": A(value=2),
                  "res.owned_channels": A(3, "Status page, e-mail and SMS lists tested at crisis load in the February drill."),
                  "res.contingency": A(3, "Platform-risk register with a plan for losing the main account."),
                  "res.platform_relations": A(3, "Named escalation contacts at the three main platforms, tested in the drill."),
                  "res.audience_concentration": A(value=71, note="Subscribers to the new alert lists reduce dependence on the main account."),
                  "gov.change_management": A(2, "Incident-review recommendations tracked by the board monthly."),
              }),
    ),
)

PROFILES: tuple[Profile, ...] = (MARAVU, DRAVENIA, ORIANDEL, VANTORIA, BELMARA, TUMBARO, CALVESSA, ORRINTH)

# --------------------------------------------------------------------------------------------------
# Writing logic
# --------------------------------------------------------------------------------------------------

DIMENSION_ORDER = tuple(DIMENSIONS)


def answers_for(profile: Profile, round_index: int) -> dict[str, A]:
    """The profile's answers in one round: base levels, then deviations, then each round's updates."""
    answers: dict[str, A] = {}
    for dim, base in zip(DIMENSION_ORDER, profile.base, strict=True):
        for ind in DIMENSIONS[dim]:
            answers[ind] = A() if ind in METRICS else A(base)
    for ind, answer in profile.answers.items():
        answers[ind] = answers[ind].merged(answer)
    for rnd in profile.rounds[1:round_index + 1]:
        for ind, update in rnd.updates.items():
            answers[ind] = answers[ind].merged(update)
    for ind in profile.rounds[round_index].missing:
        answers.pop(ind)
    return answers


def _stamp(round_date: str, index: int) -> str:
    """A deterministic time in the weeks before the round's date, as ISO 8601 UTC."""
    day = date.fromisoformat(round_date) - timedelta(days=2 + (index * 5) % 37)
    moment = datetime(day.year, day.month, day.day, 8 + index % 9, (index * 13) % 60)
    return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def _sha256(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode("utf-8")).hexdigest()


def _evidence_specs(profile: Profile, rnd: Round, ind: str, answer: A) -> list[Ev]:
    """Hand-written evidence if the profile gives it; otherwise evidence derived from the artefact."""
    if answer.evidence is not None:
        return list(answer.evidence)
    artefact = ARTEFACTS[ind]
    month = date.fromisoformat(rnd.date).strftime("%B %Y")
    if ind in METRICS:
        if answer.value is None:
            return []
        text = METRICS[ind].evidence.format(month=month, value=answer.value)
        return [Ev("text", text, artefact.text, artefact.sensitivity)]
    level = answer.level
    if not level:  # level 0 (nothing observable) or no level at all
        return []
    variants = LEVEL_PHRASES[level]
    phrase = variants[_position(ind) % len(variants)].format(month=month, year=int(rnd.period[:4]) - 1)
    specs = [Ev("text", f"{artefact.text}: {phrase}.", artefact.text, artefact.sensitivity)]
    if level >= 2 and artefact.slug:
        specs.insert(0, Ev("url", f"https://{profile.domain}/{artefact.slug}", f"Public page: {artefact.text}", "public"))
    if level >= 3 and artefact.file:
        specs.append(Ev("file", f"{artefact.file}-{rnd.period}.pdf", f"Stored copy: {artefact.text}", artefact.sensitivity))
    return specs


def evidence_items(profile: Profile, rnd: Round, ind: str, answer: A) -> list[dict]:
    """Full evidence items with author, time and (for files) a content hash."""
    items = []
    for n, spec in enumerate(_evidence_specs(profile, rnd, ind, answer)):
        index = _position(ind) * 3 + n
        item: dict = {"kind": spec.kind}
        if spec.kind == "file":
            item["name"] = spec.value
            item["sha256"] = _sha256(profile.id, rnd.period, spec.value)
        else:
            item["value"] = spec.value
        item["description"] = spec.description
        item["added_by"] = rnd.assessors[index % len(rnd.assessors)]
        item["added_at"] = _stamp(rnd.date, index)
        item["sensitivity"] = spec.sensitivity
        items.append(item)
    return items


def answer_document(profile: Profile, rnd: Round, ind: str, answer: A) -> dict:
    """One answer as the assessment format wants it (level for level indicators, value for metrics)."""
    doc: dict = {}
    if answer.na is not None:
        doc["na"] = True
        doc["na_reason"] = answer.na
        return doc
    if ind in METRICS:
        if answer.value is not None:
            doc["value"] = answer.value
    else:
        doc["level"] = answer.level
        target = answer.target
        if target is None and answer.level is not None and answer.level <= 2:
            target = answer.level + 1
        if target is not None:
            doc["target"] = target
    doc["confidence"] = answer.confidence or "high"
    if answer.note:
        doc["notes"] = answer.note
    evidence = evidence_items(profile, rnd, ind, answer)
    if evidence:
        doc["evidence"] = evidence
    return doc


def assessment_document(profile: Profile, round_index: int) -> dict:
    rnd = profile.rounds[round_index]
    answers = answers_for(profile, round_index)
    fictional = (f"Fictional sample: {profile.country} and its ministry are invented; the scores are "
                 "illustrative and describe no real country.")
    return {
        "kind": "assessment",
        "format_version": 1,
        "id": f"{profile.id}-{rnd.period}",
        "rubric": dict(RUBRIC),
        "ministry": {
            "id": profile.id,
            "name": profile.name,
            "country": profile.country.removeprefix("the "),
            "iso3": profile.iso3,
            "region": profile.region,
            "fictional": True,
        },
        "period": rnd.period,
        "date": rnd.date,
        "status": rnd.status,
        "assessors": list(rnd.assessors),
        "language": "en",
        "notes": f"{fictional} Archetype: {profile.archetype.lower()}. {rnd.notes}",
        "answers": {ind: answer_document(profile, rnd, ind, answers[ind])
                    for ind in INDICATORS if ind in answers},
    }


def next_round_document(profile: Profile, source: dict, spec: NextRound) -> dict:
    """A ministry's round on 1.1.0: its earlier round migrated by the rubric's table, then the new answers."""
    from toolkit.model.catalogue import find_rubric
    from toolkit.model.migration import migrate_document

    old, new = find_rubric(RUBRIC["id"], RUBRIC["version"]), find_rubric(RUBRIC["id"], NEXT_VERSION)
    doc = migrate_document(source, old, new).document
    doc.pop("responses", None)  # a team's answers belong to the round they gave them in
    rnd = Round(spec.period, spec.date, spec.status, spec.assessors, spec.notes)
    fictional = (f"Fictional sample: {profile.country} and its ministry are invented; the scores are "
                 "illustrative and describe no real country.")
    doc.update(id=spec.id, period=spec.period, date=spec.date, status=spec.status,
               assessors=list(spec.assessors), notes=f"{fictional} Archetype: {profile.archetype.lower()}. {spec.notes}")
    for ind, (answer, note) in {**spec.updates, **spec.new}.items():
        given = A(value=answer, note=note) if ind in METRICS else A(level=int(answer), note=note)
        doc["answers"][ind] = answer_document(profile, rnd, ind, given)
    order = [indicator.id for indicator in new.indicators()]
    doc["answers"] = {ind: doc["answers"][ind] for ind in order if ind in doc["answers"]}
    return doc


def next_round_check(doc: dict) -> tuple[list[str], tuple[float, float, float]]:
    """The toolkit's own verdict on a 1.1.0 round: its problems, and (claimed, backed, completeness %)."""
    from toolkit.engine.scoring import score
    from toolkit.model.assessment import Assessment
    from toolkit.model.catalogue import find_rubric
    from toolkit.model.documents import validate_assessment

    rubric = find_rubric(RUBRIC["id"], NEXT_VERSION)
    report = validate_assessment(doc, rubric, name=doc["id"])
    if not report.valid:
        return [str(issue) for issue in report.issues], (0.0, 0.0, 0.0)
    overall = score(rubric, [Assessment.from_dict(doc)]).to_records()[0]["overall"]
    return [], (overall["score"], overall["evidence_score"], 100 * overall["completeness"])


# --------------------------------------------------------------------------------------------------
# Self-check: structure and scores
# --------------------------------------------------------------------------------------------------


def check_document(doc: dict) -> list[str]:
    """Problems with a generated document that the format or the profile narrative forbids."""
    problems = []
    for ind, ans in doc["answers"].items():
        where = f"{doc['id']}: {ind}"
        if ind not in INDICATORS:
            problems.append(f"{where}: unknown indicator")
            continue
        if ans.get("na"):
            if not ans.get("na_reason"):
                problems.append(f"{where}: N/A without a reason")
            continue
        if ind in METRICS:
            if "level" in ans or "target" in ans:
                problems.append(f"{where}: a metric takes a value, not a level")
        else:
            if "value" in ans:
                problems.append(f"{where}: a level indicator takes a level, not a value")
            if not isinstance(ans.get("level"), int) or not 0 <= ans["level"] <= MAX_LEVEL:
                problems.append(f"{where}: level out of range")
            if not 0 <= ans.get("target", 0) <= MAX_LEVEL:
                problems.append(f"{where}: target out of range")
        for item in ans.get("evidence", ()):
            if item["kind"] == "url" and not item["value"].startswith("https://"):
                problems.append(f"{where}: URL is not https")
            if item["kind"] == "file" and len(item["sha256"]) != 64:
                problems.append(f"{where}: bad sha256")
    return problems


def scores(doc: dict) -> tuple[float, float, float]:
    """(claimed overall, evidence-backed overall, completeness %) with equal weights everywhere."""
    claimed, backed, answered, applicable = [], [], 0, 0
    for dim, ids in DIMENSIONS.items():
        dim_claimed, dim_backed = [], []
        for ind in ids:
            ans = doc["answers"].get(ind, {})
            if ans.get("na"):
                continue
            applicable += 1
            if ind in METRICS and "value" in ans:
                s = METRICS[ind].score(ans["value"])
                dim_claimed.append(s)
                dim_backed.append(s)  # the evidence cap applies to levels only
            elif "level" in ans:
                level = ans["level"]
                capped = level if ans.get("evidence") else min(level, UNSUPPORTED_CAP)
                dim_claimed.append(100 * level / MAX_LEVEL)
                dim_backed.append(100 * capped / MAX_LEVEL)
            else:
                continue
            answered += 1
        if dim_claimed:  # a dimension with nothing answered leaves the mean
            claimed.append(sum(dim_claimed) / len(dim_claimed))
            backed.append(sum(dim_backed) / len(dim_backed))
    return sum(claimed) / len(claimed), sum(backed) / len(backed), 100 * answered / applicable


def stage(score: float) -> str:
    return next(name for threshold, name in STAGES if score >= threshold)


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def readme(rows: list[tuple[Profile, list[str]]]) -> str:
    lines = [
        "# Sample ministries",
        "",
        "**Every ministry here is fictional.** The countries, ministries, people, web addresses",
        "(all on the reserved `.example` domain), documents and events are invented, and the scores are",
        "illustrative: they describe no real country or ministry. Each file says so in its data",
        "(`\"fictional\": true`, and a line in `notes`); the ISO codes come from the user-assigned `X..` range.",
        "",
        "Each ministry stands for one archetype of the domain brief, answering the default rubric",
        f"`digital-diplomacy` 1.0.0 or, in its latest round for four of them, {NEXT_VERSION}. Files are named",
        "`<ministry-id>-<period>.json`, the period in lowercase (`2026-h2` is a second round in 2026);",
        "several rounds of one ministry show a trend. The files are generated by `scripts/build_samples.py`: edit the profiles",
        "there and run `python scripts/build_samples.py` rather than editing the JSON by hand.",
        "",
        "| Ministry id | Country | Archetype | Periods | Profile |",
        "|---|---|---|---|---|",
    ]
    for profile, periods in rows:
        lines.append(f"| `{profile.id}` | {profile.country.removeprefix('the ')} | {profile.archetype} | "
                     f"{', '.join(periods)} | {profile.summary} |")
    lines += [
        "",
        "What the samples exercise: N/A answers with reasons (Maravu, Vantoria, Tumbaro), claims of",
        "level 3 or 4 without evidence, which the evidence cap lowers to 2 in the evidence-backed score (every",
        "ministry has some), a draft with unanswered indicators (`belmara-mfa-2026`), a metric not yet",
        "measurable (`tumbaro-mfa-2024`), and trends before and after an incident review (`orrinth-mfa`).",
        "Two rounds are team rounds (`responses`, SPEC 12): five respondents of `dravenia-mfa-2025` who",
        "mostly agree (high Krippendorff's alpha) and six of `tumbaro-mfa-2025` who do not (`ddmt agreement`).",
        "",
        f"Four rounds answer `digital-diplomacy` {NEXT_VERSION} (marked so above): each was made the way the app",
        "makes a ministry's next round, by migrating its last 1.0.0 round with the rubric's `migrations` table",
        "(every answer whose indicator kept its id carried unchanged) and answering the ten new indicators",
        "(`scripts/sample_next_rounds.py`), so each of these ministries' trends crosses the version change.",
        "",
    ]
    return "\n".join(lines)


def build(write: bool) -> int:
    problems: list[str] = []
    rows: list[tuple[Profile, list[str]]] = []
    built: dict[str, dict] = {}
    print(f"{'assessment':<22} {'status':<9} {'claimed':>7} {'backed':>7} {'complete':>8}  stage")
    for profile in PROFILES:
        periods = []
        for index, rnd in enumerate(profile.rounds):
            doc = assessment_document(profile, index)
            if (responses := responses_for(doc, DIMENSIONS, set(METRICS))) is not None:
                doc["responses"] = responses
            problems += check_document(doc)
            claimed, backed, complete = scores(doc)
            print(f"{doc['id']:<22} {rnd.status:<9} {claimed:7.1f} {backed:7.1f} {complete:7.1f}%  {stage(claimed)}")
            periods.append(rnd.period)
            built[doc["id"]] = doc
        for spec in NEXT_ROUNDS:
            if spec.ministry == profile.id:
                doc = next_round_document(profile, built[f"{profile.id}-{spec.source}"], spec)
                found, (claimed, backed, complete) = next_round_check(doc)
                problems += found
                print(f"{doc['id']:<22} {spec.status:<9} {claimed:7.1f} {backed:7.1f} {complete:7.1f}%  "
                      f"{stage(claimed)} (rubric {NEXT_VERSION})")
                periods.append(f"{spec.period} ({NEXT_VERSION})")
                built[doc["id"]] = doc
        rows.append((profile, periods))
    if write:
        for doc in built.values():
            path = OUT_DIR / f"{doc['id']}.json"
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if write:
        (OUT_DIR / "README.md").write_text(readme(rows), encoding="utf-8")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="print the score check without writing files")
    args = parser.parse_args()
    if not args.check:
        OUT_DIR.mkdir(exist_ok=True)
    return build(write=not args.check)


if __name__ == "__main__":
    sys.exit(main())
