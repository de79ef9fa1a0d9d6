"""Paper coming back: scans of returned forms read, matched to their copies and received.

``scan`` reads a file's pages and the QR marks on them; ``match`` turns marks
into copies, with the pages found and missing, and says plainly what is wrong
with a page that can't be matched; ``receive`` attaches a copy's pages to its
case as one document, with a timeline line and the service's SLA clock.
"""
