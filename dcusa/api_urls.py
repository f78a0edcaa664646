"""One API router: each app registers its viewsets in its own `api.py` (ROUTES)."""

from rest_framework.routers import DefaultRouter

from changes.api import ROUTES as CHANGES_ROUTES
from panel.api import ROUTES as PANEL_ROUTES
from voting.api import ROUTES as VOTING_ROUTES

router = DefaultRouter()
for prefix, viewset, basename in [*PANEL_ROUTES, *CHANGES_ROUTES, *VOTING_ROUTES]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
