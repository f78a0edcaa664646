"""API of the voting app: (prefix, viewset, basename) triples for the router."""

ROUTES: list = []
