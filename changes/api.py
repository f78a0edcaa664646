"""API of the changes app: (prefix, viewset, basename) triples for the router."""

ROUTES: list = []
