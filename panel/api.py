"""API of the register: (prefix, viewset, basename) triples for the router."""

ROUTES: list = []
