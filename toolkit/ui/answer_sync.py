"""Keeping an indicator card's widgets and the database in step: every change is saved when it is made.

Each widget saves through an `on_change` callback with the answer version this session last saw
(`assess_version_*`). A save that finds a newer version raises `ConflictError`: the card then shows
who changed what and lets the person keep the stored answer or overwrite it with their own; nothing
is overwritten silently. A save that fails (`StorageError`) keeps the value on screen and offers to try again.
The card (toolkit/ui/answer_card.py) draws the widgets and the problems; this module owns what they hold.

Session keys (`<a>` the assessment id, `<i>` the indicator id):
    assess_toast                      "saved" message to show once (shown by the assess page)
    assess_version_<a>_<i>            the answer version the widgets show (0: no answer yet)
    assess_saved_<a>_<i>              when this session last saved the card
    assess_stored_<a>_<i>             the answer this session's last save stored, until the card's next run
    assess_conflict_<a>_<i>           {"theirs": StoredAnswer, "mine": changes | "evidence": Evidence | "remove": i}
    assess_failed_<a>_<i>             {"message": str, "mine": changes} after a StorageError
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from toolkit.access.roles import AccessDenied
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Answer
from toolkit.store.store import ConflictError, StorageError, StoredAnswer
from toolkit.ui import state
from toolkit.ui.choice import widget_key
from toolkit.ui.widgets import now_iso, safe_callback, when

NONE = ""  # the "not set" option of the confidence and target selectboxes
LANGUAGE_KEYED = ("confidence", "target")


@dataclass(frozen=True)
class Card:
    """Where one indicator card keeps its state."""

    assessment_id: str
    indicator_id: str
    is_metric: bool
    editable: bool = True  # a draft and the assessor role; else every widget is disabled
    lang: str = "en"

    def key(self, name: str) -> str:
        # Selectboxes keep the labels they were first drawn with: one widget per language for them
        # (named as in toolkit/ui/choice.py; their value comes from the stored answer, see `sync`).
        key = f"assess_{name}_{self.assessment_id}_{self.indicator_id}"
        return widget_key(key, self.lang) if name in LANGUAGE_KEYED else key


def sync(card: Card, stored: StoredAnswer | None) -> None:
    """Show the stored answer, unless the widgets already show it or hold changes not yet saved."""
    ss = st.session_state
    version = stored.version if stored else 0
    if card.key("conflict") in ss or card.key("failed") in ss:
        return  # the person's own values stay on screen until they choose
    if ss.get(card.key("version")) == version and card.key("notes") in ss:
        if card.key("confidence") not in ss:  # the language changed: its own selectboxes start from the store
            answer = stored.answer if stored else Answer()
            ss[card.key("confidence")] = answer.confidence or NONE
            ss[card.key("target")] = NONE if answer.target is None else answer.target
        return
    _load(card, stored.answer if stored else Answer())
    ss[card.key("version")] = version


def _load(card: Card, answer: Answer) -> None:
    """Put an answer into the card's widgets."""
    ss = st.session_state
    ss[card.key("value" if card.is_metric else "level")] = answer.value if card.is_metric else answer.level
    ss[card.key("confidence")] = answer.confidence or NONE
    ss[card.key("target")] = NONE if answer.target is None else answer.target
    ss[card.key("na")] = answer.na
    ss[card.key("reason")] = answer.na_reason or ""
    ss[card.key("notes")] = answer.notes or ""


def _changes(card: Card, field: str) -> dict[str, Any] | None:
    """What a changed widget asks the store to save; None when nothing can be saved yet."""
    ss = st.session_state
    value = ss.get(card.key(field))
    if field in ("na", "reason"):
        if not ss.get(card.key("na")):
            return {"na": False, "na_reason": None} if field == "na" else None
        reason = " ".join(str(ss.get(card.key("reason"), "")).split())
        if not reason:
            return None  # the card says it is not saved as N/A until a reason is given
        return {"na": True, "na_reason": reason, "level": None, "value": None}
    if field in ("confidence", "target"):
        return {field: None if value == NONE else value}
    if field == "notes":
        return {"notes": value.strip() or None}
    return {field: value}


@safe_callback
def changed(card: Card, field: str) -> None:
    """A widget's `on_change`: save the change at once, so nothing waits for a form to be sent."""
    st.session_state.pop(card.key("notice"), None)
    changes = _changes(card, field)
    if changes is not None:
        _save(card, changes)


@safe_callback
def clear(card: Card) -> None:
    """Take the answer back to unanswered: no level or value, and not N/A."""
    _save(card, {"level": None, "value": None, "na": False, "na_reason": None})


def _save(card: Card, changes: dict[str, Any]) -> None:
    ss = st.session_state
    conflict = ss.get(card.key("conflict"))
    if conflict is not None and "mine" in conflict:
        conflict["mine"].update(changes)  # the person chooses once for everything pending
        return
    failed = ss.get(card.key("failed"))
    pending = {**(failed["mine"] if failed else {}), **changes}
    write(card, pending, lambda ws, version: ws.save_answer(
        card.assessment_id, card.indicator_id, pending, expected_version=version),
        conflict_detail={"mine": pending})


def write(card: Card, pending: dict[str, Any] | None, operation: Callable[[Workspace, int], StoredAnswer], *,
           conflict_detail: dict[str, Any], version: int | None = None) -> bool:
    """Run one store write for a card with the expected version, recording the outcome; True if saved.

    `pending` holds the field changes (None for an evidence change), kept for a retry on failure. The
    workspace checks the person's role on the server first: a refusal is kept like a failed save.
    """
    ss = st.session_state
    expected = ss.get(card.key("version"), 0) if version is None else version
    try:
        saved = operation(state.workspace(), expected)
    except ConflictError as error:
        ss[card.key("conflict")] = {"theirs": error.current, **conflict_detail}
        ss.pop(card.key("failed"), None)
        return False
    except (StorageError, AccessDenied) as error:
        if pending is None:  # an evidence change: the inputs still hold it, so "Add" tries again
            ss[card.key("everror")] = str(error)
        else:
            ss[card.key("failed")] = {"message": str(error), "mine": pending}
        return False
    for name in ("conflict", "failed", "notice", "everror"):
        ss.pop(card.key(name), None)
    ss[card.key("version")] = saved.version
    ss[card.key("stored")] = saved  # the card's next run shows it without reading it back
    ss[card.key("saved")] = saved.updated_at or now_iso()  # ISO: the card formats it
    ss["assess_toast"] = ss[card.key("saved")]
    _load(card, saved.answer)
    return True


@safe_callback
def retry(card: Card) -> None:
    """Try the failed save again with everything still pending."""
    failed = st.session_state.pop(card.key("failed"), None)
    if failed:
        _save(card, failed["mine"])


@safe_callback
def keep_theirs(card: Card) -> None:
    """Drop this session's pending change and show what is stored now."""
    ss = st.session_state
    ss.pop(card.key("conflict"), None)
    ss.pop(card.key("failed"), None)
    stored = state.workspace().answers(card.assessment_id).get(card.indicator_id)
    _load(card, stored.answer if stored else Answer())
    ss[card.key("version")] = stored.version if stored else 0


@safe_callback
def overwrite(card: Card) -> None:
    """Save this session's change over the version the person was shown (a newer one conflicts again)."""
    ss = st.session_state
    conflict = ss.pop(card.key("conflict"), None)
    if not conflict:
        return
    seen = conflict["theirs"].version
    if "mine" in conflict:
        mine = conflict["mine"]
        write(card, mine, lambda ws, version: ws.save_answer(
            card.assessment_id, card.indicator_id, mine, expected_version=version),
            conflict_detail={"mine": mine}, version=seen)
    elif "evidence" in conflict:
        evidence = conflict["evidence"]
        write(card, None, lambda ws, version: ws.add_evidence(
            card.assessment_id, card.indicator_id, evidence, expected_version=version),
            conflict_detail={"evidence": evidence}, version=seen)
