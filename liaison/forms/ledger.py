"""Input of the feedback and ledger pages; the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.models import FollowUpCheck, RectificationItem


class FeedbackForm(forms.Form):
    meeting_date = forms.DateField(label=_("Feedback meeting on"), widget=forms.DateInput(attrs={"type": "date"}))
    principal_oneonone_date = forms.DateField(
        label=_("Feedback to the principal on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.FileField(label=_("Feedback document"), required=False)


class ProblemForm(forms.Form):
    category = forms.CharField(label=_("Category"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    is_immediate_fix = forms.BooleanField(label=_("Fix at once"), required=False)


class ItemForm(forms.ModelForm):
    class Meta:
        model = RectificationItem
        fields = ["measure", "responsible_leader", "lead_department", "responsible_person", "co_departments",
                  "rectification_type", "deadline"]  # fmt: skip
        widgets = {"measure": forms.Textarea(attrs={"rows": 3}), "deadline": forms.DateInput(attrs={"type": "date"})}


class ProgressForm(forms.Form):
    progress_pct = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence file (document, photo, new rule)"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class LongTermForm(NoteForm):
    follow_up_on = forms.DateField(
        label=_("Next follow-up on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportForm(forms.Form):
    file = forms.FileField(label=_("Report document"))
    principal_signed = forms.BooleanField(label=_("Signed by the principal"), required=False)


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    rating = forms.ChoiceField(label=_("Rating"), choices=FollowUpCheck.Rating.choices)
    team_text = forms.CharField(label=_("Checked by"), max_length=200, required=False)
    reopen = forms.ModelMultipleChoiceField(
        label=_("Reopen items"), queryset=RectificationItem.objects.none(), required=False
    )


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_("Ledger workbook (.xlsx)"))
