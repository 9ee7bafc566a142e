"""Toasts that can be taken back: a reminder about a state that no longer holds goes away.

Textual's ``notify`` returns nothing to withdraw a toast by; these helpers keep the
:class:`Notification` so the part that raised a reminder can remove it once, say, the overdue
update has been posted.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.notifications import Notification, Notify, SeverityLevel


def raise_toast(
    node: DOMNode,
    message: str,
    *,
    title: str = "",
    severity: SeverityLevel = "information",
    timeout: float = 10,
) -> Notification:
    """Show a toast (user text is never markup) and return it, to withdraw later."""
    notification = Notification(message, title, severity, timeout, markup=False)
    # As a message, so a toast raised while the screen is still being built is shown once
    # its toast rack exists.
    node.app.post_message(Notify(notification))
    return notification


def withdraw_toast(node: DOMNode, notification: Notification) -> None:
    """Remove a toast raised by :func:`raise_toast` (nothing happens if it already went)."""
    if notification in node.app._notifications:
        # Textual 8 (pinned) has no public call to remove one toast; this is what a click on
        # the toast itself does.
        node.app._unnotify(notification)
