"""Paper: the paper form dialog (preview, print, save), the bulk export,
the Paper menu, and saving then printing a PDF.

May use ``ui.qt`` (``QtPrintSupport`` is loaded only when a dialog opens),
``ui.host``, ``ui.operations`` and the shared widgets; never the window.
"""
