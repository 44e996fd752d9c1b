"""vpe-bot: who owns what between the CTO and the VP Engineering, delivery-health pulses,
and the signs that a VP Engineering is needed."""

__version__ = "0.1.0"
