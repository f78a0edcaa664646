"""A respondent's own consultations, under /my/consultations/ (changes.views.responding)."""

from django.urls import path

from .views import responding

app_name = "respond"
urlpatterns = [
    path("", responding.my_consultations, name="list"),
    path("<int:pk>/", responding.my_consultation, name="answer"),
]
