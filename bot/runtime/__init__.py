"""Process wiring: the Bolt app, HTTP and Socket Mode, the scheduler and its lease."""
