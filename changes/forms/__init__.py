"""Forms of the change-process pages, one module per concept: they parse input only; the
services decide (10-14). `common` holds the shared fields and `attach_domain_error`."""
