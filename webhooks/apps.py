from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"

    def ready(self) -> None:
        from webhooks.handlers import subscribe_webhook_handlers

        subscribe_webhook_handlers()
