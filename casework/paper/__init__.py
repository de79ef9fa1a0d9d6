"""Paper: every service as a print-ready PDF, blank or pre-filled.

``layout`` and ``text`` are the page furniture and the paper's own language;
``form`` renders a service form; ``case_print`` prints a case's form under
the policy decision; ``letter`` and ``documents`` make letters, the consent
receipt and the "who acted for me" report (``acted_for``); ``reference`` is
the check-digit reference printed and QR-coded on every page; ``copies``
records each printed copy with its print decision, and a blank one given
out and expected back (``models`` holds their tables); ``returns`` reads
scans of copies that came back and receives them onto their cases; ``files``
names a PDF safely (``casework.kernel.files`` writes it); ``items`` are plain values the UI holds.
It may use the form engine and everything below it.
"""
