"""The headless core: models, store, clock, templates, rules and export. Never imports textual or rich."""
