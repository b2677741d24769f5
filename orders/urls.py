from django.conf import settings
from django.urls import path, re_path
from payments.urls import static_callback

from orders import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:number>/", views.confirmation, name="confirmation"),
    path("orders/<str:number>/pay/", views.pay, name="pay"),
    path("orders/<str:number>/payment/", views.payment, name="payment"),
]

# django-payments' callbacks, outside the app's namespace because the library reverses them by
# their bare names: each payment's return address, and (for providers that have one, such as
# Stripe's webhook) the provider's fixed address. The dummy provider has no fixed address.
payment_urlpatterns = [path("payments/process/<uuid:token>/", views.payment_callback, name="process_payment")]
if settings.PAYMENT_VARIANTS["default"][0] != "payments.dummy.DummyProvider":
    payment_urlpatterns.append(
        re_path(r"^payments/process/(?P<variant>[a-z-]+)/$", static_callback, name="static_process_payment")
    )
