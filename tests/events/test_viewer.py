from django.test import RequestFactory

from events.viewer import TIME_ZONE_COOKIE, viewer_time_zone


def test_the_zone_cookie_as_the_browser_script_writes_it_is_understood() -> None:
    request = RequestFactory().get("/", HTTP_COOKIE=f"{TIME_ZONE_COOKIE}=Asia%2FTehran")
    assert viewer_time_zone(request) == "Asia/Tehran"


def test_an_unknown_zone_in_the_cookie_is_ignored() -> None:
    request = RequestFactory().get("/", HTTP_COOKIE=f"{TIME_ZONE_COOKIE}=Mars%2FOlympus")
    assert viewer_time_zone(request) is None
