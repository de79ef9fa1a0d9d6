"""Escalation: a stuck case goes to a named facilitator, with an SLA clock.

``lifecycle`` raises, acknowledges, resolves and closes an escalation;
``breaches`` re-escalates on a breached SLA (once) and reminds before it;
``sla`` counts working days over each nation's bank holidays; ``directory``
and ``local_directory`` are the facilitator directory; ``handover`` refers a
case to another team with the person's consent; ``models`` and ``records``
are its tables and plain values. It may use paper, the form engine and
everything below them.
"""
