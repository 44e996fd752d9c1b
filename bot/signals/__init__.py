"""The signs that a VP Engineering is needed, assessed from pulses, check-ins, facts and events."""
