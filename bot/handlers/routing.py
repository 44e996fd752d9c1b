"""`/vpe <command> [<verb>] …`: each subcommand declared once, with its help row and its lock.

A `Command` is the first word (and its aliases, French included); its `Subcommand`s are
chosen by the second word. Each subcommand names its row in `content/commands.toml` (the
help text, in both languages) and says whether it is reserved to the leadership team; the
router checks that lock before the subcommand runs, and `/vpe help` shows it. Declaring a
subcommand is the only way to route one, so help, routing and permissions cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks import Message
from bot.core.i18n import Lang
from bot.handlers.parsing import Command as Typed

if TYPE_CHECKING:
    from bot.bootstrap import Deps, Services


@dataclass
class CommandCall:
    """One `/vpe` invocation, parsed, with what a subcommand needs to answer it."""

    team_id: str
    user_id: str
    channel_id: str
    command: Typed
    lang: Lang
    client: WebClient
    respond: Respond
    services: Services
    router: Router
    trigger_id: str | None = None

    @property
    def deps(self) -> Deps:
        return self.services.deps

    def reply(self, message: Message) -> None:
        """Answer privately (ephemeral) to the person who typed the command."""
        self.respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )

    def say(self, text: str) -> None:
        """A plain private answer."""
        self.respond(text=text, response_type="ephemeral", replace_original=False)

    def t(self, key: str, **values: Any) -> str:
        return self.deps.catalog.t(key, self.lang, **values)


Handler = Callable[[CommandCall], None]
Lock = Callable[[CommandCall], bool]
Check = Callable[[CommandCall], bool]


def readable(read: Callable[[CommandCall], object | None], usage: str) -> Check:
    """A check that passes when `read` makes sense of the arguments, else says `usage`."""

    def check(call: CommandCall) -> bool:
        if read(call) is not None:
            return True
        call.say(call.t(usage))
        return False

    return check


@dataclass(frozen=True)
class Subcommand:
    """What one verb of a command does.

    Attributes:
        help: the id of its row in content/commands.toml (rows may be shared by verbs).
        verbs: the second words that choose it; () for the command alone, which also
            takes any second word no other subcommand claims, unless `alone`.
        run: the handler.
        restricted: reserved (🔒), checked before `run`: to the leadership team, with the
            router's lock, unless `lock` names a narrower one.
        check: checks the arguments' form before the lock, answering how to use the
            command when they do not fit (a typo deserves its usage, whoever typed it).
        alone: with verbs (), only the command with no argument at all; anything after it
            gets the command's usage.
        lock: a lock of its own instead of the router's (e.g. workspace admins and owners
            only); answers the caller itself when it refuses.
    """

    help: str
    verbs: tuple[str, ...]
    run: Handler
    restricted: bool = False
    check: Check | None = None
    alone: bool = False
    lock: Lock | None = None


@dataclass(frozen=True)
class Command:
    """A first word, its aliases, its subcommands, and what to say for an unknown verb."""

    words: tuple[str, ...]
    subcommands: tuple[Subcommand, ...]
    # What to say when no subcommand takes the arguments: a message key, or a handler.
    usage: str | Handler | None = None

    def choose(self, args: Sequence[str]) -> Subcommand | None:
        verb = args[0].lower() if args else ""
        for sub in self.subcommands:
            if verb and verb in sub.verbs:
                return sub
        bare = next((sub for sub in self.subcommands if not sub.verbs), None)
        if bare is None or (bare.alone and args):
            return None
        return bare


class Router:
    """Commands by first word; anything else goes to the fallback (a question, or help)."""

    def __init__(self, commands: Iterable[Command], fallback: Handler, lock: Lock) -> None:
        self.commands = tuple(commands)
        self.fallback, self._lock = fallback, lock
        self._by_word: dict[str, Command] = {}
        for command in self.commands:
            if command.usage is None and all(sub.verbs or sub.alone for sub in command.subcommands):
                raise ValueError(f"{command.words[0]!r} needs a usage for unknown verbs")
            for word in command.words:
                if word in self._by_word:
                    raise ValueError(f"two commands answer to {word!r}")
                self._by_word[word] = command

    def __deepcopy__(self, memo: dict[int, Any]) -> Router:
        # Bolt deep-copies the context for its lazy listeners; a router never changes.
        return self

    def subcommands(self) -> Sequence[Subcommand]:
        return [sub for command in self.commands for sub in command.subcommands]

    def find(self, name: str, args: Sequence[str]) -> Subcommand | None:
        """The subcommand `/vpe <name> <args…>` runs, or None (the fallback's)."""
        command = self._by_word.get(name)
        if command is None:
            return None
        return command.choose(args)

    def dispatch(self, call: CommandCall) -> None:
        name = call.command.name
        command = self._by_word.get(name)
        if command is None:
            self.fallback(call)
            return
        sub = self.find(name, call.command.args)
        if sub is None:
            if callable(command.usage):
                command.usage(call)
            else:
                call.say(call.t(str(command.usage)))
            return
        if sub.check is not None and not sub.check(call):
            return
        if sub.restricted and not (sub.lock or self._lock)(call):
            return
        sub.run(call)
