"""The Web API methods the fake answers, each a function of a request context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import auth, chat, conversations, files, users, views
from ._base import ApiError, Ctx, Method

# "workspace": a bot (or user) token of a known team; "app": an app-level xapp- token;
# "client": no token, the app authenticates with its client id and secret.
Auth = Literal["workspace", "app", "client"]


@dataclass(frozen=True)
class Spec:
    handler: Method
    auth: Auth = "workspace"


METHODS: dict[str, Spec] = {
    "auth.test": Spec(auth.auth_test),
    "apps.connections.open": Spec(auth.apps_connections_open, auth="app"),
    "oauth.v2.access": Spec(auth.oauth_v2_access, auth="client"),
    "chat.postMessage": Spec(chat.chat_post_message),
    "chat.postEphemeral": Spec(chat.chat_post_ephemeral),
    "chat.update": Spec(chat.chat_update),
    "chat.delete": Spec(chat.chat_delete),
    "chat.getPermalink": Spec(chat.chat_get_permalink),
    "conversations.open": Spec(conversations.conversations_open),
    "conversations.members": Spec(conversations.conversations_members),
    "conversations.info": Spec(conversations.conversations_info),
    "conversations.list": Spec(conversations.conversations_list),
    "conversations.history": Spec(conversations.conversations_history),
    "conversations.replies": Spec(conversations.conversations_replies),
    "users.info": Spec(users.users_info),
    "users.list": Spec(users.users_list),
    "users.lookupByEmail": Spec(users.users_lookup_by_email),
    "usergroups.list": Spec(users.usergroups_list),
    "usergroups.users.list": Spec(users.usergroups_users_list),
    "views.open": Spec(views.views_open),
    "views.push": Spec(views.views_push),
    "views.update": Spec(views.views_update),
    "views.publish": Spec(views.views_publish),
    "files.getUploadURLExternal": Spec(files.files_get_upload_url_external),
    "files.completeUploadExternal": Spec(files.files_complete_upload_external),
    "files.info": Spec(files.files_info),
}

__all__ = ["METHODS", "ApiError", "Auth", "Ctx", "Spec"]
