"""Public pages of the register (included at the site root)."""

from django.urls import path

from . import views

app_name = "panel"

urlpatterns = [
    path("parties/", views.party_list, name="party_list"),
    path("parties/<str:short_code>/", views.party_detail, name="party_detail"),
]
