"""The site's URLs plus the Panel pages, as dcusa/urls.py will include them."""

from django.urls import include, path

urlpatterns = [
    path("panel/", include("panel.panel_urls")),
    path("", include("dcusa.urls")),
]
