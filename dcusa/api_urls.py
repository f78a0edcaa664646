"""One API router: each app registers its viewsets in its own `api.py` (ROUTES)."""

from rest_framework.routers import DefaultRouter

from changes.api import ROUTES as CHANGES_ROUTES
from panel.api import ROUTES as PANEL_ROUTES
from voting.api import ROUTES as VOTING_ROUTES
from voting.api import token_cast_fast_path

router = DefaultRouter()
for prefix, viewset, basename in [*PANEL_ROUTES, *CHANGES_ROUTES, *VOTING_ROUTES]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
# Casting with a token (Parties' own systems) is answered without the framework's per-request
# machinery; the schema still documents the route from the viewset's `votes` action.
for pattern in urlpatterns:
    if getattr(pattern, "name", None) == "ballot-votes" and pattern.callback is not None:
        pattern.callback = token_cast_fast_path(pattern.callback)
