"""The Fee tab of a case: where each fee stands, its payment page and QR code.

``panel`` shows the fees (``casework.forms.fees.FeePayment``) and asks for
work by signals; ``qr`` draws a payment page's address as a QR code for the
person's own phone; ``controller`` runs the work through ``ui.operations``
and opens the payment page in the system browser.
"""
