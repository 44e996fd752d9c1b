"""Copy in English and French, loaded from content/ and rendered by key.

A message is a sentence per language, or, when it carries a count, a table of the sentence's
plural forms by CLDR category (`{one = "…", other = "…"}`), chosen by the `{count}`
placeholder (or the one the table names in `by`). French counts 0 and 1 as "one". Numbers,
percentages and dates are written the reader's way through Babel (docs/decisions/0007).
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_skeleton, format_time, get_datetime_format
from babel.numbers import format_decimal, format_percent

from bot.core.content import CONTENT_DIR
from bot.core.typography import french

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")


# `<area>` in our own copy is a placeholder for the reader, not Slack markup: Slack would try
# to read it as a link. Slack's own forms (`<#C…>`, `<@U…>`, `<!here>`, `<https://…>`) stay.
_PLACEHOLDER = re.compile(r"<(?![#@!]|https?:|mailto:)([^<>{}]*)>")


def escape_placeholders(text: str) -> str:
    """Our copy's `<placeholder>` written as Slack must receive it: `&lt;placeholder&gt;`."""
    return _PLACEHOLDER.sub(r"&lt;\1&gt;", text)


PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})
COUNT = "count"  # the placeholder a plural table is chosen by, unless it names another in `by`


@cache
def _locale(lang: Lang) -> Locale:
    return Locale.parse(lang)


def plural_form(lang: Lang, count: float | Decimal) -> str:
    """CLDR's category for `count` in `lang`: English 1 is "one"; French 0 and 1 are."""
    return str(_locale(lang).plural_form(-count if count < 0 else count))


def is_plural(entry: object) -> bool:
    """A table of plural forms (`{one = …, other = …}`), as opposed to a list or a table."""
    return isinstance(entry, Mapping) and "other" in entry and set(entry) <= PLURAL_FORMS | {"by"}


def number(value: float, lang: Lang, digits: int = 0) -> str:
    """1234 -> "1,234" / "1 234"; number(3.45, "fr", 1) -> "3,5" (always `digits` decimals)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    # Halves go up, as people round ("3.45" → "3.5"); Babel alone would round to even.
    exact = Decimal(str(float(value)))  # the shortest form of the float (numpy ones too)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return str(format_decimal(rounded, format=pattern, locale=lang))


def percent(ratio: float, lang: Lang) -> str:
    """0.85 -> "85%" / "85 %" (French spacing is set by the typography)."""
    text = str(format_percent(ratio, locale=lang))
    return french(text) if lang == "fr" else text


_FIRST = re.compile(r"^1(?=\s)")


def _premier(text: str, moment: date, lang: Lang) -> str:
    """French writes the first of a month "1er" ("1er févr."), every other day as a number."""
    return _FIRST.sub("1er", text) if lang == "fr" and moment.day == 1 else text


def day(moment: date, lang: Lang) -> str:
    """A day in a sentence: "Nov 28, 2026" / "28 nov. 2026", "1er févr. 2027" (a date or a
    datetime)."""
    return _premier(str(format_skeleton("yMMMd", moment, locale=lang)), moment, lang)


def month_name(month: str, lang: Lang) -> str:
    """ "2027-04" -> "April 2027" / "avril 2027" (anything else is shown as it is)."""
    try:
        moment = datetime.strptime(month, "%Y-%m")
    except ValueError:
        return month
    return str(format_skeleton("yMMMM", moment, locale=lang))


def month_day(moment: date, lang: Lang) -> str:
    """A day this year or near it: "Nov 28" / "28 nov." ("1er févr.")."""
    return _premier(str(format_skeleton("MMMd", moment, locale=lang)), moment, lang)


def day_and_time(moment: datetime, lang: Lang) -> str:
    """ "Nov 28, 2026, 10:00 AM" / "28 nov. 2026, 10:00" (in `moment`'s own zone)."""
    return str(get_datetime_format("medium", locale=lang)).format(
        str(format_time(moment, "short", locale=lang)), day(moment, lang)
    )


def country_name(code: str, lang: Lang) -> str:
    """ "DE" -> "Germany" / "Allemagne" (a code Babel does not know is shown as it is)."""
    return str(_locale(lang).territories.get(code.upper(), code))


def typeset(text: str, lang: Lang) -> str:
    """Copy read from a content file, with French typography when it is French."""
    return french(text) if lang == "fr" else text


def _localised(value: object, lang: Lang) -> object:
    """Numbers given to a sentence are written the reader's way (floats to one decimal)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number(value, lang)
    if isinstance(value, float):
        return number(value, lang, 1)
    return value


def placeholders(text: str) -> frozenset[str]:
    """The `{names}` a sentence is filled with."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


class Catalog:
    """Every user-facing sentence, by dotted key, in both languages."""

    def __init__(self, messages: Mapping[str, Mapping[Lang, Any]]) -> None:
        self._messages = messages

    def t(self, key: str, lang: Lang, /, **values: object) -> str:
        """The sentence `key` in `lang`, with `{placeholders}` filled from `values`.

        A plural table picks its form by the count (`{count}`, or the placeholder in `by`);
        numbers are written the reader's way, and French copy gets French typography.
        """
        entry = self._messages[key][lang]
        if is_plural(entry):
            by = str(entry.get("by", COUNT))
            if by not in values:
                raise KeyError(f"message {key} needs the count {{{by}}}")
            count = values[by]
            if not isinstance(count, int | float):
                raise TypeError(f"message {key}: {{{by}}} must be a number")
            if isinstance(count, float):  # chosen on the figure as shown: "1.0 days"
                count = Decimal(f"{count:.1f}")
            entry = entry.get(plural_form(lang, count), entry["other"])
        if not isinstance(entry, str):
            raise TypeError(f"message {key} is not a sentence")
        text = escape_placeholders(entry)
        if lang == "fr":
            text = french(text)
        if not values:
            return text
        return text.format_map({name: _localised(value, lang) for name, value in values.items()})

    def raw(self, key: str, lang: Lang) -> Any:
        """A structured entry (a list or table) as written in the content file (French
        strings with French typography)."""
        entry = self._messages[key][lang]
        return _typeset(entry) if lang == "fr" else entry

    def message_keys(self) -> tuple[str, ...]:
        return tuple(self._messages)


def normalise_language(value: str | None) -> Lang | None:
    """'fr-FR', 'fr', 'FR' -> 'fr'; anything we do not speak -> None."""
    if not value:
        return None
    code = value.strip().lower()[:2]
    for lang in LANGS:
        if code == lang:
            return lang
    return None


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, dict[Lang, Any]]:
    found: dict[str, dict[Lang, Any]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and set(value) == set(LANGS):
            found[key] = {lang: value[lang] for lang in LANGS}
        elif isinstance(value, Mapping):
            found.update(_flatten(value, key + "."))
        else:
            raise ValueError(f"{key}: every message needs an 'en' and an 'fr' version")
    return found


def _typeset(entry: Any) -> Any:
    if isinstance(entry, str):
        return french(entry)
    if isinstance(entry, list):
        return [_typeset(item) for item in entry]
    if isinstance(entry, Mapping):
        return {name: _typeset(value) for name, value in entry.items()}
    return entry


def _forms(key: str, lang: Lang, entry: Any) -> dict[str, str]:
    """The sentences of one language's entry by form ("" for a plain sentence)."""
    if isinstance(entry, str):
        return {"": entry}
    if not is_plural(entry):
        return {}  # a list or a table of its own (read with `raw`)
    # "one" and "other" where the language has them; a rarer form ("many": French for
    # exact millions) falls back to "other" when the copy does not give it.
    needed = ({"one"} & set(map(str, _locale(lang).plural_form.tags))) | {"other"}
    missing = sorted(needed - set(entry))
    if missing:
        raise ValueError(f"{key}.{lang}: plural form(s) {', '.join(missing)} missing")
    by = str(entry.get("by", COUNT))
    forms = {form: text for form, text in entry.items() if form != "by"}
    for form, text in forms.items():
        if not isinstance(text, str):
            raise ValueError(f"{key}.{lang}.{form}: a plural form must be a sentence")
    if by not in placeholders(forms["other"]):
        raise ValueError(f"{key}.{lang}: the 'other' form must show the count {{{by}}}")
    return forms


def check_message(key: str, versions: Mapping[Lang, Any]) -> None:
    """Both languages, and every plural form, fill the same placeholders (a form may leave
    out its count: "one answer"); raise ValueError otherwise."""
    seen: dict[str, frozenset[str]] = {}
    by: set[str] = set()
    for lang in LANGS:
        entry = versions[lang]
        if is_plural(entry):
            by.add(str(entry.get("by", COUNT)))
        for form, text in _forms(key, lang, entry).items():
            seen[f"{lang}{'.' + form if form else ''}"] = placeholders(text)
    if not seen:
        return
    every = frozenset().union(*seen.values())
    for where, names in seen.items():
        if names | by != every | by:
            missing = sorted(every - names - by)
            raise ValueError(f"{key}.{where}: placeholders differ ({', '.join(missing)})")


def load_catalog(directory: Path = CONTENT_DIR) -> Catalog:
    """Read every content/messages*.toml file; raise ValueError on a message missing a
    language, a plural form, or a placeholder the other language has."""
    messages: dict[str, dict[Lang, Any]] = {}
    for path in sorted(directory.glob("messages*.toml")):
        with path.open("rb") as handle:
            for key, value in _flatten(tomllib.load(handle)).items():
                if key in messages:
                    raise ValueError(f"{path.name}: message {key} is defined twice")
                check_message(key, value)
                messages[key] = value
    return Catalog(messages)


@cache
def default_catalog() -> Catalog:
    return load_catalog()
