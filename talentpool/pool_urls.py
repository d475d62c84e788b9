from django.urls import path

from talentpool.views import pools

# Included at "pools/" in the "talentpool" namespace (talentpool/urls.py).
urlpatterns = [
    path("", pools.pool_list, name="pool-list"),
    path("export/", pools.pool_export, name="pool-export"),
    path("nominate/", pools.nominate, name="pool-nominate"),
    path("import/", pools.roster_import, name="pool-import"),
    path("import/template/", pools.roster_template, name="pool-import-template"),
    path("import/errors/", pools.roster_errors, name="pool-import-errors"),
    path("<int:pk>/", pools.entry_detail, name="pool-entry"),
    path("<int:pk>/<slug:move>/", pools.entry_move, name="pool-entry-move"),
]
