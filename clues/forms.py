import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clues.models import (
    CaseRecord,
    Clue,
    ClueAssessment,
    ClueDisposition,
    InfoRequestLetter,
    OnlineOpinionItem,
    Receiver,
)
from clues.models.categories import CATEGORY_LABELS
from clues.services import transfers
from clues.services.registry import HAND_SOURCES
from core.models import Organisation
from inspection.models import InspectedUnit


class LetterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 5}))
    request_items = forms.CharField(
        label=_("Requested items"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line."),
    )
    inspected_units = forms.ModelMultipleChoiceField(
        label=_("Units to report on"), queryset=InspectedUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    period_from = forms.DateField(label=_("Period from"), required=False)
    period_to = forms.DateField(label=_("Period to"), required=False)
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("Leave empty for the set number of working days after sending."),
    )
    delivery_method = forms.ChoiceField(label=_("Delivery"), choices=InfoRequestLetter.Delivery.choices)
    secrecy_level = forms.ChoiceField(label=_("Secrecy"), choices=InfoRequestLetter.Secrecy.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=InfoRequestLetter.Urgency.choices, required=False)
    format_requirements = forms.CharField(
        label=_("Format requirements"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    signed_by = forms.CharField(label=_("Issued by"), max_length=100, required=False)

    def __init__(self, *args, letter: InfoRequestLetter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["inspected_units"]).queryset = (
            InspectedUnit.objects.filter(inspection_round=letter.inspection_round)
            .exclude(org_unit=letter.partner.org_unit)
            .select_related("org_unit")
        )

    def clean_deadline(self) -> date | None:
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline < timezone.localdate():
            # Sent, it would start overdue; approval refuses it too (letters.approve_and_send).
            raise forms.ValidationError(_("The deadline has passed; choose a later day or leave it empty."))
        return deadline

    def clean_request_items(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["request_items"].splitlines() if line.strip()]
        if not items:
            raise forms.ValidationError(_("List at least one item."))
        return items

    @staticmethod
    def initial_for(letter: InfoRequestLetter) -> dict:
        return {
            "title": letter.title,
            "body": letter.body,
            "request_items": "\n".join(letter.request_items),
            "inspected_units": list(letter.inspected_units.all()),
            "period_from": letter.period_from,
            "period_to": letter.period_to,
            "deadline": letter.deadline,
            "delivery_method": letter.delivery_method,
            "secrecy_level": letter.secrecy_level,
            "urgency": letter.urgency,
            "format_requirements": letter.format_requirements,
            "contact_phone": letter.contact_phone,
            "signed_by": letter.signed_by,
        }


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Clue workbook (.xlsx, WPS .et, .xls or .csv)"))
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, image or Word)"))
    cover_letter = forms.BooleanField(label=_("This is the stamped cover letter"), required=False)


class NilReturnForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="经查，我单位未发现被巡察单位及其领导班子成员的相关问题线索。",
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should the partner correct?"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.ModelForm):
    url = forms.URLField(label=_("Address"), max_length=500, required=False, assume_scheme="https")
    snapshot_file = forms.FileField(label=_("Snapshot (PDF or image)"), required=False)

    class Meta:
        model = OnlineOpinionItem
        fields = ["inspected_unit", "site_name", "url", "title", "published_at", "summary", "relevance"]

    def __init__(self, *args, inspection_round, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["inspected_unit"]).queryset = InspectedUnit.objects.filter(
            inspection_round=inspection_round
        ).select_related("org_unit")


def _category_choices() -> list[tuple[str, str]]:
    return list(CATEGORY_LABELS.items())


class ClueRegisterForm(forms.Form):
    """A clue registered by hand (petition, interview, document review, visit)."""

    inspected_unit = forms.ModelChoiceField(label=_("Inspected unit"), queryset=InspectedUnit.objects.none())
    source_type = forms.ChoiceField(label=_("Source"))
    source_ref = forms.CharField(label=_("Source reference"), max_length=100, required=False)
    received_date = forms.DateField(label=_("Received on"))
    reported_persons = forms.CharField(
        label=_("Reported persons"),
        required=False,
        help_text=_("One per line: name, position."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allegation_summary = forms.CharField(label=_("Allegation summary"), max_length=300)
    allegation_detail = forms.CharField(label=_("Allegation"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    categories = forms.MultipleChoiceField(
        label=_("Problem categories"), choices=_category_choices, widget=forms.CheckboxSelectMultiple
    )
    amount_involved_yuan = forms.DecimalField(
        label=_("Amount involved (yuan)"), required=False, max_digits=16, decimal_places=2, min_value=0
    )
    reporter_name = forms.CharField(label=_("Reporter"), max_length=100, required=False)
    reporter_contact = forms.CharField(label=_("Reporter's contact"), max_length=100, required=False)
    is_anonymous = forms.BooleanField(label=_("Anonymous"), required=False)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["inspected_unit"]).queryset = units
        cast(forms.ChoiceField, self.fields["source_type"]).choices = [(s.value, s.label) for s in HAND_SOURCES]

    def clean_reported_persons(self) -> list[dict]:
        persons = []
        for line in self.cleaned_data["reported_persons"].splitlines():
            name, _sep, position = line.replace("，", ",").partition(",")
            if name.strip():
                persons.append({"name": name.strip()[:50], "position": position.strip()[:100]})
        return persons


class GradeForm(forms.Form):
    # An empty first choice: without it an ungraded clue's select showed grade A, and one click graded it A.
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", _("—— Choose ——")), *Clue.Grade.choices])
    verifiability = forms.ChoiceField(
        label=_("Verifiability"), choices=[("", "—"), *Clue.Verifiability.choices], required=False
    )


class OutOfScopeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    forwarded_to = forms.ModelChoiceField(
        label=_("Forwarded to"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Where the matter was sent, if anywhere."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["forwarded_to"]).queryset = Organisation.objects.all()


class AssessmentForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=ClueAssessment.Conclusion.choices)
    forum = forms.ChoiceField(label=_("Forum"), choices=ClueAssessment.Forum.choices)
    recommended_receiver = forms.ChoiceField(
        label=_("Transfer to"),
        choices=[("", "—"), *(ClueAssessment._meta.get_field("recommended_receiver").choices or ())],
        required=False,
    )
    notes = forms.CharField(label=_("Notes and materials"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SendBackForm(forms.Form):
    note = forms.CharField(label=_("What should the group look at again?"), max_length=500)


def receiver_options() -> list[tuple[str, str]]:
    """The receivers one proposal may go to, as (value, label): each commission and organisation
    department by name (value "type:pk"), 交办 to the clue's own unit, or another department
    named once for the page (the approval form's other_receiver)."""
    options: list[tuple[str, str]] = []
    for receiver_type in (Receiver.DISCIPLINE_COMMISSION, Receiver.ORGANIZATION_DEPT):
        candidates = list(transfers.receiver_candidates(receiver_type).order_by("pk"))
        for org in candidates:
            options.append((f"{receiver_type}:{org.pk}", f"{receiver_type.label}：{org.display_name}"))
        if not candidates:  # kept as a choice: sending it says that no such organisation is registered
            options.append((str(receiver_type), str(receiver_type.label)))
    options.append((str(Receiver.INSPECTED_UNIT), str(Receiver.INSPECTED_UNIT.label)))
    options.append((str(Receiver.OTHER_DEPT), str(_("Other department (chosen below)"))))
    return options


def _parse_receiver(value: str) -> tuple[str, int | None]:
    receiver_type, _sep, pk = value.partition(":")
    return receiver_type, int(pk) if pk.isdigit() else None


@dataclass
class ProposalRow:
    """One proposal on the approval page: the clue, the group's proposal and the head's choice."""

    clue: Clue
    proposal: transfers.Proposal | None
    selected: str = ""
    ticked: bool = False

    @property
    def field_name(self) -> str:
        return f"receiver-{self.clue.pk}"

    @property
    def recommended_label(self) -> str:
        if self.proposal is None or self.proposal.receiver_type not in Receiver.values:
            return ""
        return str(Receiver(self.proposal.receiver_type).label)

    @property
    def changed(self) -> bool:
        """The head sends this proposal elsewhere than the group recommended."""
        return self.proposal is not None and _parse_receiver(self.selected)[0] != self.proposal.receiver_type


def _recommended_option(proposal: transfers.Proposal | None, options: list[tuple[str, str]]) -> str:
    wanted = proposal.receiver_type if proposal else ""
    return next((value for value, _label in options if _parse_receiver(value)[0] == wanted), "")


class ApproveTransferForm(forms.Form):
    """The office head's approval: the ticked proposals, each one's receiver, and the meeting.

    Nothing is ticked until the head ticks it, and each proposal goes to its group's
    recommended receiver unless the head changes that row (its select, `receiver-<clue pk>`).
    """

    approved_by_text = forms.CharField(
        label=_("Approving meeting"), max_length=100, help_text=_("For example: 区委书记专题会.")
    )
    approval_meeting_date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    approval_minutes = forms.CharField(
        label=_("Minutes reference"), max_length=100, help_text=_("For example: 专题会议纪要〔2017〕12号.")
    )
    include_reporter = forms.BooleanField(label=_("Include the reporter's identity"), required=False)
    other_receiver = forms.ModelChoiceField(
        label=_("Receiving organisation for “other department”"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for proposals sent to another department."),
    )

    def __init__(self, *args: Any, clues: list[Clue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["other_receiver"]).queryset = Organisation.objects.order_by("name")
        if not settings.TRANSFER_APPROVAL_REQUIRES_MEETING:
            for name in ("approved_by_text", "approval_meeting_date", "approval_minutes"):
                self.fields[name].required = False
        self.options = receiver_options()
        allowed = {value for value, _label in self.options}
        self.proposals = proposals = transfers.proposals_of(clues)
        ticked = self._ticked()
        self.rows = []
        for clue in clues:
            row = ProposalRow(clue, proposals.get(clue.pk))
            posted = self.data.get(row.field_name, "") if self.is_bound else ""
            row.selected = posted if posted in allowed else _recommended_option(row.proposal, self.options)
            row.ticked = str(clue.pk) in ticked
            self.rows.append(row)

    def _ticked(self) -> set[str]:
        # Bound to request.POST: a QueryDict, whose ticked checkboxes share one name.
        return set(cast(QueryDict, self.data).getlist("clue")) if self.is_bound else set()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        known = {str(row.clue.pk) for row in self.rows}
        ticked = self._ticked()
        if ticked - known:
            raise forms.ValidationError(
                _("Some ticked proposals were approved or sent back meanwhile; reload the page and check again.")
            )
        if not ticked:
            raise forms.ValidationError(_("Tick the proposals to approve."))
        allowed = {value for value, _label in self.options}
        for row in self.rows:
            if row.ticked and self.data.get(row.field_name, row.selected) not in allowed:
                raise forms.ValidationError(_("Choose where clue %(code)s is transferred.") % {"code": row.clue.code})
        other = [row for row in self.rows if row.ticked and row.selected == Receiver.OTHER_DEPT]
        if other and data.get("other_receiver") is None:
            self.add_error("other_receiver", _("Choose the department for the proposals sent to another department."))
        if not any(name in self.errors for name in ("approved_by_text", "approval_meeting_date", "approval_minutes")):
            for problem in transfers.meeting_problems(self.meeting(), today=timezone.localdate()):
                self.add_error(None, problem)
        return data

    def meeting(self) -> transfers.Meeting:
        data = self.cleaned_data  # while clean() runs too: the fields are cleaned by then
        return transfers.Meeting(
            name=data.get("approved_by_text") or "",
            held_on=data.get("approval_meeting_date"),
            minutes=data.get("approval_minutes") or "",
        )

    def choices(self) -> list[transfers.Choice]:
        """The ticked proposals as the service takes them, each with the version the page showed."""
        chosen = []
        other: Organisation | None = self.cleaned_data.get("other_receiver")
        receivers = Organisation.objects.in_bulk(
            [pk for row in self.rows if row.ticked for pk in [_parse_receiver(row.selected)[1]] if pk]
        )
        for row in self.rows:
            if not row.ticked:
                continue
            receiver_type, pk = _parse_receiver(row.selected)
            receiver = other if receiver_type == Receiver.OTHER_DEPT else receivers.get(pk) if pk else None
            version = row.proposal.version if row.proposal else None
            chosen.append(transfers.Choice(row.clue, receiver_type, receiver, version))
        return chosen

    def token(self, user: Any) -> str:
        """The signed content of the confirmation page: what it lists is what its button sends."""
        meeting = self.meeting()
        return signing.dumps(
            {
                "by": user.pk,
                "key": uuid.uuid4().hex,
                "rows": [
                    [c.clue.pk, c.receiver_type, c.receiver.pk if c.receiver else None, c.proposal]
                    for c in self.choices()
                ],
                "meeting": [meeting.name, meeting.held_on.isoformat() if meeting.held_on else None, meeting.minutes],
                "reporter": bool(self.cleaned_data.get("include_reporter")),
            },
            salt=APPROVAL_SALT,
            compress=True,
        )


APPROVAL_SALT = "clues.transfer-approval"
# How long a confirmation page may wait for its button: long enough to read it, short enough
# that a page left open overnight is drawn again.
APPROVAL_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class Approval:
    """A confirmation page's content, read back from its signed token."""

    key: str
    rows: list[tuple[int, str, int | None, int | None]]
    meeting: transfers.Meeting
    include_reporter: bool

    def choices(self, clues: dict[int, Clue]) -> list[transfers.Choice]:
        receivers = Organisation.objects.in_bulk([pk for _c, _t, pk, _v in self.rows if pk])
        return [
            transfers.Choice(clues[clue], receiver_type, receivers.get(pk) if pk else None, version)
            for clue, receiver_type, pk, version in self.rows
        ]


class ConfirmTransferForm(forms.Form):
    """The confirmation page's button: the signed token of what the page listed."""

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_token(self) -> Approval:
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=APPROVAL_SALT, max_age=APPROVAL_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("The confirmation page expired. Nothing was sent; check the proposals again.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The confirmation page was not recognised. Nothing was sent; check the proposals again.")
            ) from None
        if payload.get("by") != self.user.pk:
            raise forms.ValidationError(
                _("The confirmation page was not recognised. Nothing was sent; check the proposals again.")
            )
        name, day, minutes = payload["meeting"]
        return Approval(
            key=payload["key"],
            rows=[tuple(row) for row in payload["rows"]],
            meeting=transfers.Meeting(name=name, held_on=date.fromisoformat(day) if day else None, minutes=minutes),
            include_reporter=payload["reporter"],
        )


class DispositionForm(forms.Form):
    disposition_type = forms.ChoiceField(label=_("Disposition"), choices=ClueDisposition.Type.choices)
    decided_at = forms.DateField(label=_("Decided on"))
    decided_by_text = forms.CharField(label=_("Decided by"), max_length=100, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(o.value, o.label) for o in ClueDisposition.CLOSING_OUTCOMES]
    )
    outcome_date = forms.DateField(label=_("Date"))
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CaseForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=50)
    filed_at = forms.DateField(label=_("Filed on"))
    subjects = forms.CharField(label=_("Subjects"), help_text=_("Names, separated by commas."), max_length=500)
    clues = forms.ModelMultipleChoiceField(
        label=_("Clues"), queryset=Clue.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, clues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clues"]).queryset = clues

    def clean_subjects(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["subjects"].replace("，", ",").split(",") if s.strip()]


class CaseResultForm(forms.Form):
    concluded_at = forms.DateField(label=_("Concluded on"))
    result = forms.ChoiceField(label=_("Result"), choices=CaseRecord.Result.choices)
    persons_sanctioned = forms.IntegerField(label=_("Persons sanctioned"), min_value=0, required=False)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"))
    session_no = forms.CharField(label=_("Session"), max_length=30)
    office_head_invited = forms.BooleanField(label=_("Office head invited"), required=False)
    office_head_attended = forms.BooleanField(label=_("Office head attended"), required=False)
    # A checkbox list, not a multi-select: a round has some 150 clues; static/js/ui.js adds a filter box.
    clues = forms.ModelMultipleChoiceField(
        label=_("Clues discussed"),
        queryset=Clue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "filterable"}),
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("Cases discussed"),
        queryset=CaseRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "filterable"}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, clues, cases, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clues"]).queryset = clues
        cast(forms.ModelChoiceField, self.fields["cases"]).queryset = cases
