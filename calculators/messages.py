"""Every word the calculators say, in the reader's language, from policies/catalogue/messages.yaml.

The catalogue travels in the policy bundle (bundle["messages"]: key -> {en, zh}), so the browser
worker gets it with policies.json and nothing is compiled. Templates use str.format placeholders
(`{amount}`); the loader checks that each zh template has exactly its en one's placeholders.

Code names a message by a literal key in one of three ways, so that a test
(tests/test_messages.py) can find every key the code uses by reading the source:
  say("key", name=value)   the text now (a Words instance is conventionally called `say`);
  Msg("key", name=value)   the text later, once the language is known (input errors);
  key("key")               a key kept in a table and looked up later (verdict labels, fields).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# The languages every text comes in (policies/ holds {en, zh} for each); English is the default.
LANGS = ("en", "zh")


def key(name: str) -> str:
    """Marks a message key stored for later (the key scan finds it); returns it unchanged."""
    return name


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def fmt_date(day: dt.date | str, lang: str = "en") -> str:
    """A date as a reader writes it: '14 February 2027', or 2027年2月14日 in Chinese.

    >>> fmt_date("2021-12-15"), fmt_date("2021-12-15", "zh")
    ('15 December 2021', '2021年12月15日')
    """
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class Msg:
    """A message not yet put into words: its key and values (which may be Msgs themselves)."""

    __slots__ = ("key", "values")

    def __init__(self, name: str, /, **values: Any):  # positional-only: a value may be called `name`
        self.key, self.values = name, values

    def __str__(self) -> str:  # only for logs and exception text; readers get Words.text(...)
        return self.key + (f" {self.values}" if self.values else "")

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.values!r})"


class Problem(ValueError):
    """A ValueError whose message is a Msg: bad input, put into words where the language is known."""

    def __init__(self, name: str, /, **values: Any):
        self.msg = Msg(name, **values)
        super().__init__(str(self.msg))


class UnknownLanguage(ValueError):
    pass


class Words:
    """say(key, **values): the message in `lang`; also joins lists and translates deferred Msgs."""

    def __init__(self, bundle: dict, lang: str = "en"):
        if lang not in LANGS:
            raise UnknownLanguage(lang)
        self.messages: dict = bundle["messages"]
        self.lang = lang

    def __call__(self, name: str, /, **values: Any) -> str:
        template = self.messages[name][self.lang]
        return template.format(**{k: self.text(v) for k, v in values.items()}) if values else template

    def text(self, value: Any) -> Any:
        """A Msg or a Problem in words, a date as the page writes it ('7 December 2026', 2026年12月7日);
        anything else unchanged (str of it for other exceptions)."""
        if isinstance(value, dt.date):
            return fmt_date(value, self.lang)
        if isinstance(value, Msg):
            return self(value.key, **value.values)
        if isinstance(value, Problem):
            return self.text(value.msg)
        if isinstance(value, BaseException):
            return str(value)
        return value

    def errors(self, errors: list[dict]) -> list[dict]:
        """Input errors with their messages in words (the keys stay: field, message)."""
        return [{**error, "message": self.text(error["message"])} for error in errors]

    def join(self, items: list[str], conjunction: str = "and") -> str:
        """'a, b and c' or 'a、b和c': a list as a sentence reads it ("and" or "or")."""
        if len(items) <= 1:
            return "".join(items)
        word = self("common.and") if conjunction == "and" else self("common.or")
        if self.lang == "zh":
            return "、".join(items[:-1]) + word + items[-1]
        return ", ".join(items[:-1]) + f" {word} " + items[-1]

    def list(self, items: list[str]) -> str:
        """'a, b, c' or 'a、b、c': an enumeration without a conjunction."""
        return ("、" if self.lang == "zh" else ", ").join(items)

    def quote(self, text: str) -> str:
        """“text”: a name quoted, in either language (Chinese uses the same curly quotes)."""
        return f"\u201c{text}\u201d"

    def clauses(self, items: list[str]) -> str:
        """Clauses of one sentence: 'a; b' or 'a；b'."""
        return ("；" if self.lang == "zh" else "; ").join(items)

    def unstop(self, sentence: str) -> str:
        """The sentence without its full stop, to go on with it."""
        return sentence.rstrip(".。")


def language(value: Any) -> str:
    """The language asked for: "en" when missing or empty; UnknownLanguage for anything else."""
    if value is None or value == "":
        return "en"
    if isinstance(value, str) and value in LANGS:
        return value
    raise UnknownLanguage(value)
