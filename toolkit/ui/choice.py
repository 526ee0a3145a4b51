"""Selectboxes and multiselects whose shown choice follows the language switch.

Streamlit keeps showing a keyed selectbox's (or multiselect's) choice in the words it was first drawn
with when only `format_func`'s text changes, so after switching to Bahasa Indonesia a box would still
read "Draft".
Each language therefore draws its own widget (`key` in English, `key_id` in Indonesian) and the choice
itself lives apart, under `chosen_key(key)`, so that it survives the switch both ways. Callers read and
set the choice there, never through a widget key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def chosen_key(key: str) -> str:
    """Where the choice of the translated selectbox `key` is kept in the session."""
    return f"{key}_chosen"


def widget_key(key: str, lang: str) -> str:
    """The key of the widget drawn for `lang`: the plain key in English, so tests can find it."""
    return key if lang == "en" else f"{key}_{lang}"


def chosen(key: str, default: Any = None) -> Any:
    """The current choice of the translated selectbox `key`."""
    return st.session_state.get(chosen_key(key), default)


def choose(key: str, value: Any) -> None:
    """Set the choice of the translated selectbox `key` (drawn on the next run)."""
    st.session_state[chosen_key(key)] = value


def translated_selectbox(label: str, options: Sequence[Any], *, key: str, lang: str,
                         format_func: Callable[[Any], str], default: Any = None,
                         on_change: Callable[..., None] | None = None, args: tuple = (),
                         **kwargs: Any) -> Any:
    """A selectbox drawn as one widget per language around one kept choice; returns the choice.

    `default` is chosen when nothing valid was chosen yet (else the first option). `on_change` is
    called after the kept choice was updated, with `args`.
    """
    ss = st.session_state
    widget = widget_key(key, lang)
    options = list(options)
    current = ss.get(chosen_key(key))
    if current not in options:
        current = default if default in options else (options[0] if options else None)
        ss[chosen_key(key)] = current
    if ss.get(widget) != current:
        ss[widget] = current

    def changed() -> None:
        ss[chosen_key(key)] = ss[widget]
        if on_change is not None:
            on_change(*args)

    st.selectbox(label, options, format_func=format_func, key=widget, on_change=changed, **kwargs)
    return ss[chosen_key(key)]


def translated_multiselect(label: str, options: Sequence[Any], *, key: str, lang: str,
                           format_func: Callable[[Any], str], default: Sequence[Any] = (),
                           **kwargs: Any) -> list[Any]:
    """A multiselect drawn as one widget per language around one kept choice; returns the choice.

    `default` is chosen the first time; choices no longer among the options are dropped.
    """
    ss = st.session_state
    widget = widget_key(key, lang)
    options = list(options)
    kept = ss.get(chosen_key(key))
    current = [value for value in (default if kept is None else kept) if value in options]
    ss[chosen_key(key)] = current
    if ss.get(widget) != current:
        ss[widget] = current

    def changed() -> None:
        ss[chosen_key(key)] = list(ss[widget])

    st.multiselect(label, options, format_func=format_func, key=widget, on_change=changed, **kwargs)
    return list(ss[chosen_key(key)])
