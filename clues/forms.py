from django import forms
from django.utils.translation import gettext_lazy as _

from clues.models import InfoRequestLetter, OnlineOpinionItem
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
        self.fields["inspected_units"].queryset = (
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
        self.fields["inspected_unit"].queryset = InspectedUnit.objects.filter(
            inspection_round=inspection_round
        ).select_related("org_unit")
