"""Erasure on request and the aggregated export."""
