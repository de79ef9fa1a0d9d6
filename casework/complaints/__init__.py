"""Complaints: the route beyond the facilitator ladder, and its evidence pack.

When escalation runs out, a service's own complaints process comes next, then
the ombudsman or examiner for the service and the person's nation. The routes
are data in ``resources/complaints``; this package names the right one, keeps
each step with its dates, and builds the evidence pack. It may use escalation,
paper, the form engine and everything below them.
"""
