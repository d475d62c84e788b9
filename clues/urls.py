from django.urls import path

from clues.views import letters, opinion, replies

app_name = "clues"
urlpatterns = [
    path("letters/", letters.letter_list, name="letter-list"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter-detail"),
    path("letters/<int:pk>/edit/", letters.letter_edit, name="letter-edit"),
    path("letters/<int:pk>/submit/", letters.letter_submit, name="letter-submit"),
    path("letters/<int:pk>/approve/", letters.letter_approve, name="letter-approve"),
    path("letters/<int:pk>/withdraw/", letters.letter_withdraw, name="letter-withdraw"),
    path("letters/<int:pk>/supplementary/", letters.letter_supplementary, name="letter-supplementary"),
    path("letters/<int:pk>/letter.docx", letters.letter_download, name="letter-docx"),
    path("letters/<int:pk>/template.xlsx", letters.template_download, name="letter-template"),
    path("letters/<int:pk>/upload/", replies.upload_workbook, name="letter-upload"),
    path("letters/<int:pk>/attach/", replies.attach_file, name="letter-attach"),
    path("letters/<int:pk>/nil-return/", replies.nil_return, name="letter-nil-return"),
    path("letters/<int:pk>/answer/", replies.submit_reply, name="letter-answer"),
    path("imports/<int:pk>/", replies.batch_detail, name="batch-detail"),
    path("imports/<int:pk>/errors.xlsx", replies.batch_errors, name="batch-errors"),
    path("replies/<int:pk>/accept/", replies.accept_reply, name="reply-accept"),
    path("replies/<int:pk>/return/", replies.return_reply, name="reply-return"),
    path("rounds/<int:round_pk>/letters/", letters.round_letters, name="round-letters"),
    path("rounds/<int:round_pk>/letters/create/", letters.create_round_letters, name="round-letters-create"),
    path("rounds/<int:round_pk>/letters/approve-all/", letters.approve_all, name="round-letters-approve"),
    path("rounds/<int:round_pk>/opinion/", opinion.opinion_list, name="opinion-list"),
    path("opinion/<int:pk>/convert/", opinion.opinion_convert, name="opinion-convert"),
]
