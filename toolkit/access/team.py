"""Team rounds as one signed-in person may use them (SPEC 12): respondents answer, the facilitator consolidates.

Who may do what, checked before every read and write, on top of `Workspace`'s ministry roles:

* a **respondent** is an account named on a respondent of one round (`responses.respondents.account`):
  the round's respondent role. It opens that round only: the rubric, its own answers, saving and
  submitting them; the others' answers only once its own are submitted (so it is not anchored by
  them). It reads nothing else of the ministry (not the consolidated answers), and nothing of any
  other ministry, unless it also holds a ministry role;
* a **facilitator** holds the assessor or reviewer role on the ministry (`EDIT` or `REVIEW`):
  invites respondents, sees every response, and sets the consolidated answers;
* anyone who may view the ministry's rounds sees every response of them (read-only).

With `auth = none` the one local person is every role, so they can answer as any respondent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from toolkit.access.roles import EDIT, REVIEW, VIEW, AccessDenied
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Evidence, Respondent, Response
from toolkit.store import responses
from toolkit.store.records import NotFoundError, StorageError
from toolkit.store.responses import RespondentRecord, StoredResponseAnswer
from toolkit.store.store import StoredAnswer
from toolkit.store.tables import assessments

#: The answer fields a consolidation takes from a respondent's answer (targets stay the facilitator's).
CARRIED_FIELDS = ("level", "value", "na", "na_reason", "confidence", "notes")


class TeamRound:
    """One person's access to the team side of rounds; AccessDenied for anything they may not do."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._store = workspace._store

    @property
    def user(self) -> str:
        return self.workspace.user

    # ------------------------------------------------------------------------------ who is who

    def my_respondents(self) -> list[RespondentRecord]:
        """The rounds this account answers in, as which respondent (its respondent roles)."""
        return responses.rounds_answered_by(self._store, self.user)

    def is_facilitator(self, assessment_id: str) -> bool:
        return self.workspace.can(EDIT, assessment_id) or self.workspace.can(REVIEW, assessment_id)

    def respondents(self, assessment_id: str) -> list[RespondentRecord]:
        """Every respondent of a round: for those who view the ministry, or respond in the round."""
        if not self.workspace.can(VIEW, assessment_id) and not self._mine(assessment_id):
            self.workspace.require(VIEW, assessment_id)
        return responses.respondents_of(self._store, assessment_id)

    def round_rubric(self, assessment_id: str) -> tuple[str, str]:
        """The (rubric id, version) a round answers: for its respondents and those who view it."""
        if not self._mine(assessment_id):
            self.workspace.require(VIEW, assessment_id)
        with self._store._read() as connection:
            row = connection.execute(select(assessments.c.rubric_id, assessments.c.rubric_version)
                                     .where(assessments.c.id == assessment_id)).first()
        if row is None:
            raise NotFoundError(f'no assessment with the id "{assessment_id}"')
        return row.rubric_id, row.rubric_version

    def may_answer_as(self, assessment_id: str, respondent_id: str) -> bool:
        """The account named on the respondent, or a facilitator answering on their behalf."""
        return any(record.id == respondent_id for record in self._mine(assessment_id)) or \
            self.workspace.can(EDIT, assessment_id)

    # ------------------------------------------------------------------------------ respondent

    def own_answers(self, assessment_id: str, respondent_id: str) -> dict[str, StoredResponseAnswer]:
        self._require_respondent(assessment_id, respondent_id)
        return responses.response_answers_of(self._store, assessment_id, respondent_id)

    def save(self, assessment_id: str, respondent_id: str, indicator_id: str, changes: Mapping[str, Any], *,
             expected_version: int) -> StoredResponseAnswer:
        """Save a respondent's answer as they go (versioned, audited)."""
        self._require_respondent(assessment_id, respondent_id)
        return responses.save_response_answer(self._store, assessment_id, respondent_id, indicator_id, changes,
                                              expected_version=expected_version, user=self.user)

    def submit(self, assessment_id: str, respondent_id: str) -> str:
        self._require_respondent(assessment_id, respondent_id)
        return responses.submit_response(self._store, assessment_id, respondent_id, user=self.user)

    def others(self, assessment_id: str, respondent_id: str) -> tuple[Response, ...]:
        """The other respondents' answers, once this respondent has submitted; AccessDenied before."""
        self._require_respondent(assessment_id, respondent_id)
        record = next(item for item in responses.respondents_of(self._store, assessment_id)
                      if item.id == respondent_id)
        if record.submitted_at is None and not self.workspace.can(VIEW, assessment_id):
            raise AccessDenied("the others' answers show once you have submitted yours")
        return tuple(item for item in self._responses(assessment_id) if item.respondent.id != respondent_id)

    # ----------------------------------------------------------------------------- facilitator

    def invite(self, assessment_id: str, respondent: Respondent, *, account: str | None = None) -> RespondentRecord:
        self._require_facilitator(assessment_id)
        return responses.invite(self._store, assessment_id, respondent, user=self.user, account=account)

    def all_responses(self, assessment_id: str) -> tuple[Response, ...]:
        """Every response of the round: for those who view the ministry's rounds."""
        self.workspace.require(VIEW, assessment_id)
        return self._responses(assessment_id)

    def put_response(self, assessment_id: str, response: Response, *, source: str | None = None) -> int:
        """Add or replace one respondent's whole response (a filled questionnaire); never the round's answers."""
        self._require_facilitator(assessment_id)
        return responses.put_response(self._store, assessment_id, response, user=self.user, source=source)

    def consolidate(self, assessment_id: str, indicator_id: str, *, expected_version: int,
                    source: str | None = None, own: Mapping[str, Any] | None = None, reason: str | None = None,
                    carry: Sequence[tuple[str, int]] = ()) -> StoredAnswer:
        """Set the consolidated answer: one respondent's (`source`), or the facilitator's own with a reason.

        `carry` names evidence items of respondents, (respondent id, index), added to the consolidated
        answer. The audit trail records which respondents the answer came from. All of it is one
        transaction (`Store.consolidate`): a failure midway leaves nothing half-written.
        """
        self._require_facilitator(assessment_id)
        if (source is None) == (own is None):
            raise ValueError("consolidate takes either a respondent (source) or the facilitator's own answer")
        given = {item.respondent.id: item for item in self._responses(assessment_id)}
        if source is not None:
            if source not in given or indicator_id not in given[source].answers:
                raise StorageError(f"{indicator_id}: {source} has not answered it")
            answer = given[source].answers[indicator_id]
            changes = {key: getattr(answer, key) for key in CARRIED_FIELDS}
        else:
            if not (reason or "").strip():
                raise StorageError(f"{indicator_id}: an answer of your own needs a reason")
            changes = dict(own or {})
        carried, carried_from = [], []
        for respondent_id, index in carry:
            items = given[respondent_id].answers[indicator_id].evidence if respondent_id in given and \
                indicator_id in given[respondent_id].answers else ()
            if not 0 <= index < len(items):
                raise StorageError(f"{indicator_id}: {respondent_id} has no evidence item {index + 1}")
            item = items[index]
            carried.append(Evidence(kind=item.kind, value=item.value, description=item.description,
                                    sensitivity=item.sensitivity))
            carried_from.append(respondent_id)
        sources = [source] if source is not None else []
        sources += [who for who in carried_from if who not in sources]
        return self._store.consolidate(assessment_id, indicator_id, changes, expected_version=expected_version,
                                       carried=carried, sources=sources, reason=reason, user=self.user)

    # --------------------------------------------------------------------------------- checks

    def _mine(self, assessment_id: str) -> list[RespondentRecord]:
        return [record for record in self.my_respondents() if record.assessment_id == assessment_id]

    def _require_respondent(self, assessment_id: str, respondent_id: str) -> None:
        if not self.may_answer_as(assessment_id, respondent_id):
            self._refuse(assessment_id, "you may not answer as this respondent")

    def _require_facilitator(self, assessment_id: str) -> None:
        if not self.is_facilitator(assessment_id):
            self._refuse(assessment_id, "only the round's facilitator (an assessor or reviewer) may do this")

    def _refuse(self, assessment_id: str, message: str) -> None:
        """AccessDenied with the message, for a round that exists or not (as `Workspace.require`: no one learns
        which ids exist in other ministries); only a global administrator is told "not found"."""
        if self.workspace.principal.is_admin:
            self.workspace.ministry_of(assessment_id)  # NotFoundError for a round that does not exist
        raise AccessDenied(message)

    def _responses(self, assessment_id: str) -> tuple[Response, ...]:
        with self._store._read() as connection:
            return responses.responses_in(connection, assessment_id)
