"""The store as one signed-in person may use it: every read and write checks their role first.

The app's pages and widget callbacks reach the data only through a `Workspace`, made afresh for
each page run and each callback from the session's signed-in principal (`toolkit.ui.state`). Each
method finds the ministry the assessment belongs to, in the database, and calls
`Principal.require` before anything is read or written, so an id typed into the URL or a crafted
widget message meets the same check as a click. Lists only show the ministries the person sees.
Who made a change is always the principal's name, never a name the session supplies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from toolkit.access.roles import CREATE_ROUND, EDIT, REOPEN, REVIEW, SUBMIT, VIEW, AccessDenied, Principal, denial
from toolkit.model.assessment import Assessment, Evidence, Ministry
from toolkit.model.migration import MigrationReport
from toolkit.store import carry, review
from toolkit.store import migrate as store_migrate
from toolkit.store.carry import CarriedMark
from toolkit.store.records import validated_assessment
from toolkit.store.review import ReviewComment, VersionInfo
from toolkit.store.round_imports import ImportOutcome
from toolkit.store.store import AssessmentSummary, AuditEntry, FileNotReadable, NotFoundError, Store, StoredAnswer
from toolkit.store.tables import assessments, ministries

#: The action a move to each status needs.
STATUS_ACTIONS = {"submitted": SUBMIT, "reviewed": REVIEW}


class Workspace:
    """One principal's view of the store; AccessDenied for anything their roles do not allow."""

    def __init__(self, store: Store, principal: Principal):
        self._store = store
        self.principal = principal

    @property
    def user(self) -> str:
        """The name the audit trail records for this person's changes."""
        return self.principal.name

    @property
    def max_file_bytes(self) -> int:
        return self._store.max_file_bytes

    # -------------------------------------------------------------------------------- checks

    def ministry_of(self, assessment_id: str) -> str:
        """The ministry an assessment belongs to; NotFoundError if there is no such assessment."""
        with self._store._read() as connection:
            found = connection.scalar(select(assessments.c.ministry_id).where(assessments.c.id == assessment_id))
        if found is None:
            raise NotFoundError(f'no assessment with the id "{assessment_id}"')
        return found

    def require(self, action: str, assessment_id: str) -> str:
        """AccessDenied unless the action is allowed on the assessment's ministry; returns the ministry.

        A round that does not exist is refused with exactly the words of a round of a ministry the person
        may not see, so an assessor cannot learn which ids exist in other ministries; only a global
        administrator, who sees every ministry, is told "not found".
        """
        try:
            ministry_id = self.ministry_of(assessment_id)
        except NotFoundError:
            if self.principal.is_admin:
                raise
            raise AccessDenied(denial(action)) from None
        self.principal.require(action, ministry_id)
        return ministry_id

    def can(self, action: str, assessment_id: str) -> bool:
        """Whether the action is allowed (for showing or hiding controls; the methods check again)."""
        try:
            return self.principal.can(action, self.ministry_of(assessment_id))
        except NotFoundError:
            return False

    def can_on_ministry(self, action: str, ministry_id: str) -> bool:
        return self.principal.can(action, ministry_id)

    # --------------------------------------------------------------------------------- reads

    def ministries(self) -> list[Ministry]:
        """The ministries this person sees."""
        return [item for item in self._store.ministries() if self.principal.sees(item.id)]

    def assessments(self, ministry_id: str | None = None) -> list[AssessmentSummary]:
        """The rounds this person sees (of one ministry, if given)."""
        return [item for item in self._store.assessments(ministry_id) if self.principal.sees(item.ministry_id)]

    def load(self, assessment_id: str) -> Assessment:
        self.require(VIEW, assessment_id)
        return self._store.load(assessment_id)

    def answers(self, assessment_id: str) -> dict[str, StoredAnswer]:
        self.require(VIEW, assessment_id)
        return self._store.answers(assessment_id)

    def get_answer(self, assessment_id: str, indicator_id: str) -> StoredAnswer:
        self.require(VIEW, assessment_id)
        return self._store.get_answer(assessment_id, indicator_id)

    def history(self, assessment_id: str, indicator_id: str | None = None) -> list[AuditEntry]:
        self.require(VIEW, assessment_id)
        return self._store.history(assessment_id, indicator_id)

    def to_document(self, assessment_id: str) -> dict[str, Any]:
        self.require(VIEW, assessment_id)
        return self._store.to_document(assessment_id)

    def evidence_file(self, assessment_id: str, sha256: str) -> bytes:
        """The bytes of a file listed by this round and held by its ministry (`Store.evidence_file`)."""
        self.require(VIEW, assessment_id)
        try:
            return self._store.evidence_file(assessment_id, sha256)
        except FileNotReadable as error:
            raise AccessDenied(str(error)) from None

    def held_files(self, assessment_id: str) -> set[str]:
        """The hashes of the round's file evidence its ministry holds; other file items show "file not included"."""
        self.require(VIEW, assessment_id)
        return self._store.held_files(assessment_id)

    def carried(self, assessment_id: str) -> dict[str, CarriedMark]:
        """The answers carried from an earlier round and still to confirm, by indicator."""
        self.require(VIEW, assessment_id)
        return carry.carried(self._store, assessment_id)

    def version(self, assessment_id: str) -> VersionInfo:
        self.require(VIEW, assessment_id)
        return review.info(self._store, assessment_id)

    def comments(self, assessment_id: str, *, with_earlier: bool = True) -> list[ReviewComment]:
        """Review comments on the round and, by default, on the versions it was reopened from."""
        self.require(VIEW, assessment_id)
        ids = review.lineage(self._store, assessment_id) if with_earlier else [assessment_id]
        return review.comments(self._store, ids)

    # -------------------------------------------------------------------------------- writes

    def create_ministry(self, ministry: Ministry) -> None:
        self.principal.require_admin()
        self._store.create_ministry(ministry, user=self.user)

    def create_assessment(self, ministry_id: str, period: str, *, rubric_id: str, rubric_version: str,
                          assessors: Sequence[str] = ()) -> str:
        self.principal.require(CREATE_ROUND, ministry_id)
        return self._store.create_assessment(ministry_id, period, rubric_id=rubric_id, rubric_version=rubric_version,
                                             user=self.user, assessors=assessors)

    def start_round_from(self, ministry_id: str, period: str, *, source_id: str, rubric_id: str,
                         rubric_version: str, assessors: Sequence[str] = ()) -> str:
        """A new round carrying the answers of an earlier round of the same ministry (which the person must see)."""
        self.principal.require(CREATE_ROUND, ministry_id)
        self.require(VIEW, source_id)
        return carry.start_round_from(self._store, ministry_id, period, source_id=source_id, rubric_id=rubric_id,
                                      rubric_version=rubric_version, user=self.user, assessors=assessors)

    def confirm_carried(self, assessment_id: str, indicator_ids: Sequence[str]) -> int:
        """Confirm carried answers as they are; returns how many were still to confirm."""
        self.require(EDIT, assessment_id)
        return carry.confirm(self._store, assessment_id, indicator_ids, user=self.user)

    def migrate(self, assessment_id: str, version: str) -> MigrationReport:
        """Move a draft round to a newer version of its rubric (the assessor or admin role)."""
        self.require(EDIT, assessment_id)
        return store_migrate.migrate_round(self._store, assessment_id, version, user=self.user)

    def import_document(self, doc: Mapping[str, Any], *, name: str | None = None) -> str:
        """Import a round as a draft (see `import_round`); returns its id."""
        return self.import_round(doc, name=name).id

    def import_round(self, doc: Mapping[str, Any], *, name: str | None = None) -> ImportOutcome:
        """Import a round: the assessor role on its ministry, or an administrator for a new ministry."""
        ministry_id = validated_assessment(doc, name).ministry.id
        with self._store._read() as connection:
            known = connection.scalar(select(ministries.c.id).where(ministries.c.id == ministry_id)) is not None
        if known:
            self.principal.require(CREATE_ROUND, ministry_id)
        else:
            self.principal.require_admin()
        return self._store.import_round(doc, user=self.user, name=name)

    def save_answer(self, assessment_id: str, indicator_id: str, changes: Mapping[str, Any], *,
                    expected_version: int) -> StoredAnswer:
        self.require(EDIT, assessment_id)
        return self._store.save_answer(assessment_id, indicator_id, changes, expected_version=expected_version,
                                       user=self.user)

    def add_evidence(self, assessment_id: str, indicator_id: str, evidence: Evidence, *,
                     expected_version: int) -> StoredAnswer:
        self.require(EDIT, assessment_id)
        return self._store.add_evidence(assessment_id, indicator_id, evidence, expected_version=expected_version,
                                        user=self.user)

    def remove_evidence(self, assessment_id: str, indicator_id: str, index: int, *,
                        expected_version: int) -> StoredAnswer:
        self.require(EDIT, assessment_id)
        return self._store.remove_evidence(assessment_id, indicator_id, index, expected_version=expected_version,
                                           user=self.user)

    def put_file(self, assessment_id: str, data: bytes, name: str) -> tuple[str, str]:
        """Keep an evidence file for an assessment the person may change."""
        ministry_id = self.require(EDIT, assessment_id)
        return self._store.put_file(data, name, ministry_id=ministry_id, user=self.user)

    def set_status(self, assessment_id: str, status: str) -> None:
        """Submit (assessor) or mark reviewed (reviewer); the store refuses any other move."""
        self.require(STATUS_ACTIONS.get(status, EDIT), assessment_id)
        self._store.set_status(assessment_id, status, user=self.user)

    def add_comment(self, assessment_id: str, indicator_id: str, verdict: str, text: str | None) -> ReviewComment:
        self.require(REVIEW, assessment_id)
        return review.add_comment(self._store, assessment_id, indicator_id, verdict, text, user=self.user)

    def reopen(self, assessment_id: str) -> str:
        self.require(REOPEN, assessment_id)
        return review.reopen(self._store, assessment_id, user=self.user)
