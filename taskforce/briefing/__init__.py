"""The weekly briefing: its slides and the PowerPoint pack."""
