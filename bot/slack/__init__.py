"""Services that talk to Slack's Web API on behalf of the handlers and the scheduler."""
