from django.urls import include, path

app_name = "talentpool"
# Each area keeps its own URL module; the names live in the one "talentpool" namespace.
urlpatterns = [
    path("pools/", include("talentpool.pool_urls")),
    path("secondments/", include("talentpool.secondment_urls")),
    path("recusals/", include("talentpool.recusal_urls")),
    path("cross-staffing/", include("talentpool.cross_urls")),
]
