"""A stand-in for Slack on loopback: Web API, response_url, file uploads, Socket Mode.

The playground runs the bot against it, and the test suite does too (one implementation):

with FakeSlack() as fake:
    fake.add_team("T1", bot_token="xoxb-test")
    fake.add_user("T1", "U1", "alice")
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    client.chat_postMessage(channel="U1", text="hi")
    assert fake.messages(fake.dm_channel_id("U1"))[0]["text"] == "hi"

It answers like Slack (shapes, errors, 429 with Retry-After) and rejects Block Kit that
Slack would reject (slack_sdk.models validation).
"""

from .fake import FakeSlack
from .state import Call, ResponsePost

__all__ = ["Call", "FakeSlack", "ResponsePost"]
