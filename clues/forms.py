from typing import cast

from django import forms
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
            "format_requirements": letter.format_requirements,
            "contact_phone": letter.contact_phone,
            "signed_by": letter.signed_by,
        }


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Clue workbook (.xlsx, .xls or .csv)"))
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
    grade = forms.ChoiceField(label=_("Grade"), choices=Clue.Grade.choices)
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


class ApproveTransferForm(forms.Form):
    receiver_type = forms.ChoiceField(label=_("Transfer to"), choices=Receiver.choices)
    receiver = forms.ModelChoiceField(
        label=_("Receiving organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty for the commission or department of the jurisdiction; 交办 goes to each clue's unit."),
    )
    approved_by_text = forms.CharField(
        label=_("Approved at"), max_length=100, required=False, help_text=_("For example: 书记专题会 2017-10-12.")
    )
    include_reporter = forms.BooleanField(label=_("Include the reporter's identity"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["receiver"]).queryset = Organisation.objects.all()


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
    clues = forms.ModelMultipleChoiceField(label=_("Clues discussed"), queryset=Clue.objects.none(), required=False)
    cases = forms.ModelMultipleChoiceField(
        label=_("Cases discussed"), queryset=CaseRecord.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, clues, cases, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clues"]).queryset = clues
        cast(forms.ModelChoiceField, self.fields["cases"]).queryset = cases
