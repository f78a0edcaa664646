from django.apps import AppConfig


class ChangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "changes"

    def ready(self) -> None:
        # Panel resolutions on Change Proposals are carried out here (panel never imports changes).
        from .resolutions import register_resolution_handlers

        register_resolution_handlers()
