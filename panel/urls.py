"""Public pages of the register (included at the site root)."""

from django.urls import path

from .views import register

app_name = "panel"

urlpatterns = [
    path("parties/", register.party_list, name="party_list"),
    path("parties/<str:short_code>/", register.party_detail, name="party_detail"),
]
