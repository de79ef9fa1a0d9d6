"""Payments through GOV.UK Pay, as the outbox follows them.

A ``pay`` outbox item creates one payment (its key is the
``Idempotency-Key``). While the payment is open, Pay gives a payment page
(``_links.next_url``): ``links`` keeps it beside the item, so the window can
open it or show it as a QR code. ``words`` says on the case timeline what
happened to a payment, in money, and never "received" unless Pay said success.
"""
