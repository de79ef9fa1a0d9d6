"""Complaints in the window: the "Complain about this service" dialog (the
route with its time limits, recording each step and the person's consent,
building the evidence pack) and its controller. It uses ``ui.operations``."""
