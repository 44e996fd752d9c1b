"""A fake Slack (Web API, response_url, file uploads, Socket Mode) on loopback.

with FakeSlack() as fake:
    fake.add_team("T1", bot_token="xoxb-test")
    fake.add_user("T1", "U1", "alice")
    client = WebClient(token="xoxb-test", base_url=fake.api_url)
    client.chat_postMessage(channel="U1", text="hi")
    assert fake.messages(fake.dm_channel_id("U1"))[0]["text"] == "hi"
"""

from .fake import FakeSlack
from .state import Call, ResponsePost

__all__ = ["Call", "FakeSlack", "ResponsePost"]
