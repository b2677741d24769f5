from __future__ import annotations

from django import forms
from payments import FraudStatus, PaymentStatus
from payments.dummy.forms import DummyForm

from catalog.isbn import isbn13_parse
from orders.cart import MAX_QUANTITY
from orders.models import Order


class CartLineForm(forms.Form):
    """A format, by its ISBN (any form: hyphens, ISBN-10), and a quantity."""

    isbn = forms.CharField(max_length=30)
    quantity = forms.IntegerField(min_value=0, max_value=MAX_QUANTITY, required=False)

    def clean_isbn(self) -> str:
        isbn13 = isbn13_parse(self.cleaned_data["isbn"])
        if isbn13 is None:
            raise forms.ValidationError("Not an ISBN.")
        return isbn13


class CheckoutForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = [
            "email",
            "shipping_name",
            "shipping_line1",
            "shipping_line2",
            "shipping_city",
            "shipping_postcode",
            "shipping_country",
        ]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "shipping_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "shipping_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "shipping_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "shipping_city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "shipping_postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def address(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class TestPaymentChoices(DummyForm):
    """How a test payment ends, chosen in the pay form itself: the fields django-payments' dummy
    provider reads when "Pay" is pressed, there being no provider's page to ask on.

    Set ready to pay; what the reader chose is kept when the page is shown again (a price that
    changed), without the errors a half-filled form would show."""

    READY_TO_PAY = {
        "status": PaymentStatus.CONFIRMED,
        "fraud_status": FraudStatus.ACCEPT,
        "gateway_response": "3ds-disabled",
        "verification_result": PaymentStatus.CONFIRMED,
    }

    def __init__(self, chosen=None) -> None:
        super().__init__(hidden_inputs=False)
        chosen = chosen or {}
        self.initial = {
            name: chosen[name] if chosen.get(name) in dict(self.fields[name].choices) else default
            for name, default in self.READY_TO_PAY.items()
        }
