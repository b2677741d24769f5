from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        from payments.signals import status_changed

        from orders import checks  # noqa: F401 - registers the deploy checks
        from orders.services import payment_status_changed

        # django-payments reports every change of a payment's status (the reader coming back from
        # the provider, or the provider's own callback) through this signal; the named service
        # decides what it means for the order.
        status_changed.connect(payment_status_changed, dispatch_uid="orders.payment_status_changed")
