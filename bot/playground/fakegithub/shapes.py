"""GitHub's REST response shapes, filled in from a few facts (the tests validate them against
the published schema through githubkit's models). Every person here is a placeholder: the
bot reads past these fields and keeps none of them."""

from __future__ import annotations

from typing import Any

EPOCH = "2020-01-01T00:00:00Z"
REPO_LINKS = [
    "archive",
    "assignees",
    "blobs",
    "branches",
    "collaborators",
    "comments",
    "commits",
    "compare",
    "contents",
    "contributors",
    "deployments",
    "downloads",
    "events",
    "forks",
    "git_commits",
    "git_refs",
    "git_tags",
    "issue_comment",
    "issue_events",
    "issues",
    "keys",
    "labels",
    "languages",
    "merges",
    "milestones",
    "notifications",
    "pulls",
    "releases",
    "stargazers",
    "statuses",
    "subscribers",
    "subscription",
    "tags",
    "teams",
    "trees",
    "hooks",
]


def user(base: str, login: str = "placeholder") -> dict[str, Any]:
    url = f"{base}/users/{login}"
    links = [
        "followers",
        "following",
        "gists",
        "starred",
        "subscriptions",
        "organizations",
        "repos",
        "events",
        "received_events",
    ]
    return {
        "login": login,
        "id": 1,
        "node_id": "U_1",
        "avatar_url": f"{url}.png",
        "gravatar_id": "",
        "url": url,
        "html_url": url,
        **{f"{name}_url": f"{url}/{name}" for name in links},
        "type": "User",
        "site_admin": False,
    }


def repository(base: str, full_name: str) -> dict[str, Any]:
    owner, name = full_name.split("/")
    url = f"{base}/repos/{full_name}"
    return {
        "id": abs(hash(full_name)) % 10**8,
        "node_id": "R_1",
        "name": name,
        "full_name": full_name,
        "license": None,
        "forks": 0,
        "owner": user(base, owner),
        "private": True,
        "html_url": url,
        "description": None,
        "fork": False,
        "url": url,
        **{f"{link}_url": f"{url}/{link}" for link in REPO_LINKS},
        "git_url": f"git://example.invalid/{full_name}.git",
        "ssh_url": f"git@example.invalid:{full_name}.git",
        "clone_url": f"{url}.git",
        "svn_url": url,
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "size": 0,
        "default_branch": "main",
        "open_issues_count": 0,
        "has_pages": False,
        "disabled": False,
        "pushed_at": EPOCH,
        "created_at": EPOCH,
        "updated_at": EPOCH,
        "open_issues": 0,
        "watchers": 0,
    }


def label(base: str, full_name: str, name: str) -> dict[str, Any]:
    return {
        "id": abs(hash(name)) % 10**6,
        "node_id": "L_1",
        "url": f"{base}/repos/{full_name}/labels/{name}",
        "name": name,
        "description": None,
        "color": "ededed",
        "default": False,
        "archived_by": None,
    }


def pull(base: str, full_name: str, repo: dict[str, Any], facts: Any) -> dict[str, Any]:
    url = f"{base}/repos/{full_name}/pulls/{facts.number}"
    html = url
    branch = {"label": "main", "ref": "main", "repo": repo, "sha": "0" * 40, "user": repo["owner"]}
    return {
        "url": url,
        "id": facts.number,
        "node_id": f"PR_{facts.number}",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": f"{base}/repos/{full_name}/issues/{facts.number}",
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{base}/repos/{full_name}/pulls/comments{{/number}}",
        "comments_url": f"{base}/repos/{full_name}/issues/{facts.number}/comments",
        "statuses_url": f"{base}/repos/{full_name}/statuses/{'0' * 40}",
        "number": facts.number,
        "state": "closed",
        "locked": False,
        "title": facts.title,
        "user": user(base),
        "body": None,
        "labels": [label(base, full_name, name) for name in facts.labels],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": facts.created_at,
        "updated_at": facts.updated_at,
        "closed_at": facts.merged_at or facts.updated_at,
        "merged_at": facts.merged_at,
        "merge_commit_sha": "0" * 40 if facts.merged_at else None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": {**branch, "label": "feature", "ref": "feature"},
        "base": branch,
        "_links": {
            name: {"href": f"{url}/{name}"}
            for name in (
                "comments",
                "commits",
                "statuses",
                "html",
                "issue",
                "review_comments",
                "review_comment",
                "self",
            )
        },
        "author_association": "MEMBER",
        "auto_merge": None,
        "draft": False,
    }


def deployment(base: str, full_name: str, facts: Any) -> dict[str, Any]:
    url = f"{base}/repos/{full_name}/deployments/{facts.id}"
    return {
        "url": url,
        "id": facts.id,
        "node_id": f"DE_{facts.id}",
        "sha": "0" * 40,
        "ref": "main",
        "task": "deploy",
        "payload": {},
        "original_environment": facts.environment,
        "environment": facts.environment,
        "description": None,
        "creator": user(base),
        "created_at": facts.created_at,
        "updated_at": facts.status_at,
        "statuses_url": f"{url}/statuses",
        "repository_url": f"{base}/repos/{full_name}",
        "transient_environment": False,
        "production_environment": facts.environment == "production",
    }


def deployment_status(base: str, full_name: str, facts: Any) -> dict[str, Any]:
    url = f"{base}/repos/{full_name}/deployments/{facts.id}"
    return {
        "url": f"{url}/statuses/{facts.id}",
        "id": facts.id,
        "node_id": f"DES_{facts.id}",
        "state": facts.state,
        "creator": user(base),
        "description": "",
        "environment": facts.environment,
        "target_url": "",
        "log_url": "",
        "environment_url": "",
        "created_at": facts.status_at,
        "updated_at": facts.status_at,
        "deployment_url": url,
        "repository_url": f"{base}/repos/{full_name}",
    }


def release(base: str, full_name: str, facts: Any) -> dict[str, Any]:
    url = f"{base}/repos/{full_name}/releases/{facts.id}"
    return {
        "url": url,
        "html_url": url,
        "assets_url": f"{url}/assets",
        "upload_url": f"{url}/assets{{?name,label}}",
        "tarball_url": f"{url}.tar.gz",
        "zipball_url": f"{url}.zip",
        "id": facts.id,
        "node_id": f"RE_{facts.id}",
        "tag_name": facts.tag,
        "target_commitish": "main",
        "name": facts.tag,
        "draft": False,
        "prerelease": False,
        "created_at": facts.created_at,
        "published_at": facts.created_at,
        "author": user(base),
        "assets": [],
    }


def error(message: str, status: int) -> dict[str, Any]:
    return {
        "message": message,
        "documentation_url": "https://docs.github.com/rest",
        "status": str(status),
    }
