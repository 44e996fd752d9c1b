"""Who holds the CTO and VP Engineering roles and who owns each area."""
