"""The bot scopes the app asks for when installed (kept equal to manifest.yml by a test)."""

BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:read",
    "groups:history",
    "groups:read",
    "chat:write",
    "commands",
    "files:write",
    "im:history",
    "im:read",
    "im:write",
    "usergroups:read",
    "users:read",
)
