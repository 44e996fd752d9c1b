"""Delivery-health pulses: questions, lifecycle, anonymous answers, results, schedules."""
