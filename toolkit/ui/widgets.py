"""Helpers the pages share: the error guard, plain-text output, URL and file-name checks, exports.

User text (names, notes, evidence, file names) only ever reaches `st.text`, `st.dataframe` or a
label passed through `escape_markdown`: never markdown, never HTML.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, ParamSpec
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from toolkit.access.roles import AccessDenied
from toolkit.access.workspace import Workspace
from toolkit.engine.scoring import score
from toolkit.i18n import t
from toolkit.i18n.formatting import format_datetime
from toolkit.issues import Issue
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import Rubric
from toolkit.research.tidy import score_csv
from toolkit.store import evidence_files
from toolkit.store.store import StorageError, Store
from toolkit.ui import state

log = logging.getLogger("toolkit.ui")
P = ParamSpec("P")
FAILED_KEY = "ui_failed"  # set by a callback that failed unexpectedly; shown by run_page
REFUSED_KEY = "ui_refused"  # why a callback was refused (AccessDenied); shown by run_page


def run_page(body: Callable[[], None]) -> None:
    """Run a page body; an unexpected error shows a short message (logged in full), not a traceback."""
    callback_problems()
    guarded(body)


def callback_problems() -> None:
    """Say what went wrong in a callback before this run (a page or a fragment, whichever runs next)."""
    if st.session_state.pop(FAILED_KEY, False):  # a callback failed before this run
        st.error(t("ui_unexpected_error", state.language()))
    refused = st.session_state.pop(REFUSED_KEY, None)
    if refused:
        st.error(t("access_refused", state.language()))
        plain(refused)


def guarded(body: Callable[[], None]) -> None:
    """Run a page body or a fragment: an error is a short message (logged in full), never a traceback."""
    try:
        body()
    except ScriptControlException:
        raise  # st.rerun, st.switch_page, st.stop
    except AccessDenied as error:  # not this person's to see: say so, show nothing of it
        log.info("page refused: %s", error)
        st.error(t("access_refused", state.language()))
        plain(error)
    except StorageError as error:  # the database could not be read: its message is fit to show
        log.warning("page could not read the store: %s", error)
        st.error(t("ui_storage_error", state.language()))
        plain(error)
    except Exception:
        log.exception("page failed")
        st.error(t("ui_unexpected_error", state.language()))


def safe_callback(function: Callable[P, None]) -> Callable[P, None]:
    """A widget callback that cannot show a traceback: an unexpected error becomes a short message."""
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            function(*args, **kwargs)
        except ScriptControlException:
            raise
        except AccessDenied as error:  # refused on the server: nothing was read or changed
            log.info("callback %s refused: %s", function.__name__, error)
            st.session_state[REFUSED_KEY] = str(error)
        except Exception:
            log.exception("callback %s failed", function.__name__)
            st.session_state[FAILED_KEY] = True
    return wrapper


def plain(text: object) -> None:
    """Show user text exactly as written: no markdown, no HTML."""
    st.text(str(text))


def when(stamp: str | None, lang: str) -> str:
    """A stored ISO time in the reader's language: `1 Mar 2026, 14:05:09 UTC`, `1 Mar 2026 14.05.09 UTC`.

    Session state keeps the ISO stamp and the page formats it when it draws, so a reader who
    switches language sees the times in the new one.
    """
    return format_datetime(stamp, lang)


def now_iso() -> str:
    """The current UTC time in ISO form, as evidence records it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def url_problem(value: str) -> str | None:
    """The i18n key of what is wrong with an evidence URL, or None for a usable http(s) address.

    Whether a link is usable is the store's rule (`evidence_files.url_problem`), so the card never
    accepts what the save refuses; this only picks the card's words for why.
    """
    if not value.strip():
        return "ui_url_empty"
    if evidence_files.url_problem(value) is None:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return "ui_url_bad"
    return "ui_url_scheme" if scheme not in ("", "http", "https") else "ui_url_bad"


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_file_name(name: str, fallback: str = "file") -> str:
    """A file name fit for display and downloads: no folders, control or reserved characters."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    return name[:120] or fallback


def issues_frame(rows: Iterable[Issue | tuple[str, str, str]], language: str) -> pd.DataFrame:
    """Located problems as a table with the columns file, place, message (plain text cells)."""
    records = []
    for row in rows:
        file, place, message = (row.file, row.where, row.message) if isinstance(row, Issue) else row
        records.append({t("ui_file", language): file, t("ui_place", language): place,
                        t("ui_message", language): message})
    return pd.DataFrame(records, columns=[t("ui_file", language), t("ui_place", language),
                                          t("ui_message", language)])


# --- exports -------------------------------------------------------------------------------------

def document_json(store: Store | Workspace, assessment_id: str) -> str:
    """One assessment as a JSON document (the import format)."""
    return json.dumps(store.to_document(assessment_id), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def documents_zip(store: Store | Workspace) -> bytes:
    """Every assessment as `<id>.json` in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for summary in store.assessments():
            archive.writestr(f"{summary.id}.json", document_json(store, summary.id))
    return buffer.getvalue()


def scores_csv(store: Store | Workspace, assessment_ids: Sequence[str]) -> str:
    """Tidy scores (one row per assessment and node; the columns of `ddmt score --format csv`)."""
    groups: dict[tuple[str, str], tuple[Rubric, list[Assessment]]] = {}
    for assessment_id in assessment_ids:
        assessment = store.load(assessment_id)
        key = (assessment.rubric_id, assessment.rubric_version)
        if key not in groups:
            groups[key] = (find_rubric(*key), [])
        groups[key][1].append(assessment)
    records: list[dict[str, Any]] = []
    rubric_of: dict[str, Rubric] = {}
    for rubric, assessments in groups.values():
        records.extend(score(rubric, assessments).to_records())
        rubric_of.update({assessment.id: rubric for assessment in assessments})
    return score_csv(records, rubric_of)
