"""The use cases shared by handlers, scheduled jobs and the playground."""
