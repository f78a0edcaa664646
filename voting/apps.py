from django.apps import AppConfig


class VotingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "voting"
    verbose_name = "Voting"

    def ready(self) -> None:
        # The Authority's send-back voids the vote (13.11A.1); changes never imports voting.
        from changes.services.authority import register_send_back_handler

        from .services.ballots import ballots_void_on_send_back

        register_send_back_handler(ballots_void_on_send_back)
