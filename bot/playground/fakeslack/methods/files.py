"""The external upload flow (files.getUploadURLExternal, upload, files.completeUploadExternal).

This is the flow `WebClient.files_upload_v2` drives: get an upload URL per file, POST the
bytes there (the fake serves /upload/v1/<file id>), then complete with the list of ids,
optionally sharing them into one channel as a single message.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from ..state import StoredFile
from ._base import ApiError, Ctx, ok
from .chat import postable_channel, store_message


def files_get_upload_url_external(ctx: Ctx) -> dict[str, Any]:
    filename = ctx.required("filename")
    length = ctx.number("length", -1)
    if length < 0:
        raise ApiError("invalid_arguments", ["[ERROR] missing required field: length"])
    file_id = ctx.state.new_id("F")
    ctx.state.files[file_id] = StoredFile(
        id=file_id,
        team_id=ctx.team.id,
        filename=filename,
        length=length,
        title=filename,
        alt_txt=ctx.text("alt_txt"),
        snippet_type=ctx.text("snippet_type"),
    )
    return ok(upload_url=f"{ctx.base_url}/upload/v1/{file_id}", file_id=file_id)


def files_complete_upload_external(ctx: Ctx) -> dict[str, Any]:
    entries = ctx.params.get("files")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments", ["[ERROR] files must be a non-empty JSON array"])
    stored: list[StoredFile] = []
    for entry in entries:
        file = ctx.state.files.get(entry.get("id", "")) if isinstance(entry, dict) else None
        if file is None or file.team_id != ctx.team.id or file.content is None:
            raise ApiError("file_not_found")
        stored.append(file)
    channel_ids = [c for c in (ctx.text("channels") or "").split(",") if c]
    channel_id = ctx.text("channel_id")
    if channel_id is not None:
        channel_ids.insert(0, channel_id)
    # Check every target before changing anything: a failed call leaves nothing behind.
    channels = [postable_channel(ctx.state, ctx.team, c) for c in channel_ids]
    for entry, file in zip(entries, stored, strict=True):
        file.title = entry.get("title") or file.filename
        file.completed = True
    bodies = [file_json(ctx, f) for f in stored]
    for channel in channels:
        text = ctx.text("initial_comment") or ""
        record = store_message(ctx.state, ctx.team, channel, text, None, ctx.text("thread_ts"))
        record.update(files=bodies, upload=True, display_as_bot=False)
    return ok(files=[{"id": body["id"], "title": body["title"]} for body in bodies])


def files_info(ctx: Ctx) -> dict[str, Any]:
    file = ctx.state.files.get(ctx.required("file", "file_not_found"))
    if file is None or file.team_id != ctx.team.id or not file.completed:
        raise ApiError("file_not_found")
    return ok(file=file_json(ctx, file), comments=[], response_metadata={"next_cursor": ""})


def file_json(ctx: Ctx, file: StoredFile) -> dict[str, Any]:
    mimetype = mimetypes.guess_type(file.filename)[0] or "application/octet-stream"
    filetype = file.filename.rsplit(".", 1)[-1] if "." in file.filename else "binary"
    return {
        "id": file.id,
        "created": file.created,
        "timestamp": file.created,
        "name": file.filename,
        "title": file.title,
        "mimetype": mimetype,
        "filetype": filetype,
        "user": ctx.team.bot_user_id,
        "user_team": ctx.team.id,
        "size": len(file.content or b""),
        "url_private": f"{ctx.base_url}/files/{file.id}/{file.filename}",
        "permalink": f"https://{ctx.team.domain}.slack.com/files/{file.id}",
        "alt_txt": file.alt_txt,
    }
