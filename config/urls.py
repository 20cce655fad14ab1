from django.urls import include, path

from sanxin.api.api import api

urlpatterns = [
    path("", include("sanxin.dashboards.urls")),
    path("", include("sanxin.core.urls")),
    path("", include("sanxin.accounts.urls")),
    path("", include("sanxin.regions.urls")),
    path("", include("sanxin.orgs.urls")),
    path("", include("sanxin.party.urls")),
    path("", include("sanxin.members.urls")),
    path("", include("sanxin.workdays.urls")),
    path("", include("sanxin.life.urls")),
    path("", include("sanxin.study.urls")),
    path("", include("sanxin.instructors.urls")),
    path("", include("sanxin.coverage.urls")),
    path("", include("sanxin.census.urls")),
    path("", include("sanxin.imports.urls")),
    path("", include("sanxin.compare.urls")),
    path("", include("sanxin.mine.urls")),
    path("", include("sanxin.workers.urls")),
    path("", include("sanxin.appeals.urls")),
    path("", include("sanxin.hazards.urls")),
    path("", include("sanxin.stations.urls")),
    path("", include("sanxin.points.urls")),
    path("", include("sanxin.care.urls")),
    path("", include("sanxin.volunteers.urls")),
    path("", include("sanxin.selections.urls")),
    path("api/v1/", api.urls),
]
