"""The worker's home shows what the apps above have for them (SanxinApp.worker_cards): the nearest open stations and
the appeals waiting for their answer or rating; with nothing yet, it says what they can do."""

from django.urls import reverse

from sanxin.appeals.services import appeal_accept, appeal_resolve
from sanxin.stations.services import station_update
from tests.appeals.conftest import raise_appeal
from tests.conftest import logged_in_client
from tests.stations.conftest import make_station


def home(personas) -> str:
    return logged_in_client(personas["worker"]).get("/w/").content.decode()


def test_a_new_worker_is_told_what_they_can_do(personas):
    page = home(personas)
    assert "附近暂无在运营的驿站" in page and "遇到难处可以在这里反映" in page and reverse("appeals:my_new") in page


def test_the_nearest_open_stations_and_an_appeal_to_rate(personas):
    near = make_station(personas["county"], name="民巷社区小哥驿站")
    closed = make_station(personas["county"], name="停用的驿站")
    station_update(actor=personas["county"], station=closed, is_open=False)
    appeal = raise_appeal(personas["worker"])
    appeal = appeal_accept(actor=personas["township"], appeal=appeal)
    appeal_resolve(actor=personas["township"], appeal=appeal, reply="已协调物业，骑手可从北门进入。")
    page = home(personas)
    assert near.name in page and closed.name not in page
    assert "请评价" in page and f"/w/appeals/{appeal.pk}/" in page
