"""The tests' name for `toolkit.ui.live_session`: a real app server and headless websocket sessions."""

from toolkit.ui.live_session import REPO, RUN_TIMEOUT, Run, Server, Session, free_port, text, trigger

__all__ = ["REPO", "RUN_TIMEOUT", "Run", "Server", "Session", "free_port", "text", "trigger"]
