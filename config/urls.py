from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.views import healthz

admin.site.site_header = _("Inspection coordination platform administration")
admin.site.site_title = _("Inspection coordination platform")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Own template names: registration/password_change_form.html is the admin's own page.
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/change_password.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/change_password_done.html"),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("rounds/", include("inspection.urls")),
    path("", include("talentpool.urls")),
    path("", include("liaison.urls")),
    path("", include("reports.urls")),
    path("", include("clues.urls")),
    path("", include("core.urls")),
]
