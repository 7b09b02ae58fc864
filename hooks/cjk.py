"""Chinese paragraphs without the spaces that line breaks in their source would leave.

Markdown keeps a line break inside a paragraph, and a browser shows it as a space: right for
English, a stray gap in Chinese ("哪些店铺类型、 年费"), where words are not spaced. A Chinese page's
HTML has each such break removed where the text on both sides is Chinese (characters or full-width
punctuation), also across inline tags ("每一项\\n<a>入驻要求</a>"); code blocks keep theirs.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_INLINE_TAGS = r"(?:</?(?:a|strong|em|b|i|span|abbr|mark)\b[^>]*>)*"
_BREAK = re.compile(rf"(?<=[{CJK}])({_INLINE_TAGS})[ \t]*\n[ \t]*({_INLINE_TAGS})(?=[{CJK}])")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


def join_lines(html: str) -> str:
    """`html` with the line breaks between Chinese text removed, outside <pre>.

    >>> join_lines("<p>店铺类型、\\n<a href='x'>年费</a>是多少\\nand English\\n<pre>代码\\n代码</pre></p>")
    "<p>店铺类型、<a href='x'>年费</a>是多少\\nand English\\n<pre>代码\\n代码</pre></p>"
    """
    parts = _PRE.split(html)
    return "".join(part if index % 2 else _BREAK.sub(r"\1\2", part) for index, part in enumerate(parts))
