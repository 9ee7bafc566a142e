"""``incident-tui serve``: the app in a browser for everyone on the call (textual-serve).

Imported only by the ``serve`` command: aiohttp and textual-serve never load for ``log`` or
the app's start-up. :mod:`incident_tui.serve.browser` is the small part a served app reads.
"""
