"""The content core: what every piece of public content shares (ground floor)."""
