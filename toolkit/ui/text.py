"""Showing document text safely where Streamlit reads markdown (labels, headings, messages).

Texts from documents (rubric titles, ministry names) go through `escape_markdown` before they reach
any element that interprets markdown; longer texts go to `st.text` or `st.dataframe`, which never do.
"""

from __future__ import annotations

import re

# Every ASCII punctuation mark markdown (and Streamlit's extensions: $ maths, :colour[] directives)
# could read; CommonMark lets a backslash escape any of them.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=:$&^\"'%@/])")


def escape_markdown(text: str) -> str:
    """The text on one line, with every markdown-significant character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
