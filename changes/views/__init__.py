"""Pages of the change process, one module per concept: the public register and proposal pages
(`register`), raising a proposal (`raising`), the Secretariat desk (`desk`) and the desk steps
that record data through a named service, declared once each (`steps`)."""
