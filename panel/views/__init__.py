"""Pages of the register and of the Panel at work, one module per concept."""
