"""The Textual front end: the IC's screen, its panes and its modals."""
