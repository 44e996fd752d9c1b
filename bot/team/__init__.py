"""The workspace itself: its settings, its people, its leadership team, its digest."""
