from sanxin.regions.models import Region


def test_regions_loaded(db):
    assert Region.objects.filter(code="36").exists()


def test_home_as_county(client_for):
    response = client_for("county").get("/")
    assert response.status_code == 200
    assert "东湖区" in response.content.decode()
