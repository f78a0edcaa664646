"""Forms for the register and the Panel pages: they parse input; the services decide."""
