"""Text updates to the person: a GOV.UK Notify text message when their form
is delivered, an escalation is answered or a payment completes.

Only with the person's consent, recorded on the case under the policy
decision (``consent``), to the UK mobile number they gave, under a mandate
(or caseload) that lets the worker contact them, and only once the
administrator has chosen the Notify template (``template``). ``send`` queues
at most one ``notify_sms`` outbox item per event, in the caller's
transaction, in the person's preferred language. Decision 0027.
"""
