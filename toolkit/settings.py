"""How a deployment is set up: who may sign in and how, read from the environment or the secrets file.

Each setting is read from an environment variable first, then from the `[ddmt]` section of
Streamlit's secrets, then falls back to its default. Streamlit reads `.streamlit/secrets.toml` in
three folders, a later one winning key by key: the home folder, the folder the app starts from, and
the folder of `app.py` itself; the command line (`ddmt serve`) reads the same three, so the address
it listens on always matches the access mode the app enforces.

    DDMT_AUTH            [ddmt] auth            none (default) | password | oidc
    DDMT_IDLE_MINUTES    [ddmt] idle_minutes    minutes without a click before a session is signed out (30)
    DDMT_OIDC_PROVIDER   [ddmt] oidc_provider   the `[auth.<name>]` provider for st.login (default: `[auth]`)

`none` is one person on their own machine: the app listens on localhost only and that person may
do everything. `password` and `oidc` are for a shared server: people sign in to accounts made with
`ddmt user add`, and see and change only what their roles allow.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

AUTH_MODES = ("none", "password", "oidc")
DEFAULT_IDLE_MINUTES = 30.0
MAX_IDLE_MINUTES = 24 * 60.0
SECTION = "ddmt"
APP_DIR = Path(__file__).resolve().parent.parent  # the folder of app.py (a source checkout)


class SettingsError(ToolkitError):
    """A setting has a value the toolkit does not know; the message names the setting and the choices."""


@dataclass(frozen=True)
class Settings:
    """The deployment's access settings."""

    auth: str = "none"
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    oidc_provider: str | None = None

    @property
    def shared(self) -> bool:
        """Whether people sign in (password or oidc), so the app may listen beyond localhost."""
        return self.auth != "none"


def load_settings(environ: Mapping[str, str] | None = None,
                  secrets: Mapping[str, Any] | None = None) -> Settings:
    """The settings from the environment, then the secrets' `[ddmt]` section; SettingsError if one is wrong.

    Without `secrets`, the secrets files are read from disk (the command line's way; the app passes
    Streamlit's own `st.secrets["ddmt"]`).
    """
    environ = os.environ if environ is None else environ
    section = secrets_file_section() if secrets is None else secrets

    def get(variable: str, key: str) -> Any:
        value = environ.get(variable)
        if value is not None and value.strip():
            return value.strip()
        return section.get(key) if isinstance(section, Mapping) else None

    auth = get("DDMT_AUTH", "auth")
    auth = "none" if auth is None else str(auth).strip().lower()
    if auth not in AUTH_MODES:
        raise SettingsError(f'DDMT_AUTH / [ddmt] auth: "{auth}" is not an access mode: use one of '
                            f'{", ".join(AUTH_MODES)}')
    idle = get("DDMT_IDLE_MINUTES", "idle_minutes")
    minutes = DEFAULT_IDLE_MINUTES if idle is None else _minutes(idle)
    provider = get("DDMT_OIDC_PROVIDER", "oidc_provider")
    provider = str(provider).strip() if provider is not None and str(provider).strip() else None
    if provider is not None and "_" in provider:  # st.login refuses such a name only when someone clicks
        raise SettingsError(f'DDMT_OIDC_PROVIDER / [ddmt] oidc_provider: "{provider}" contains "_", which '
                            "Streamlit does not accept in a provider name: rename the [auth.<name>] section")
    return Settings(auth=auth, idle_minutes=minutes, oidc_provider=provider)


def _minutes(value: Any) -> float:
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        minutes = math.nan
    if not (0 < minutes <= MAX_IDLE_MINUTES):
        raise SettingsError(f"DDMT_IDLE_MINUTES / [ddmt] idle_minutes: {value!r} is not a number of minutes "
                            f"between 0 and {MAX_IDLE_MINUTES:g}")
    return minutes


def secrets_paths(cwd: Path | None = None, home: Path | None = None, app_dir: Path | None = None) -> list[Path]:
    """Where Streamlit looks for secrets, the one it prefers last: home, the starting folder, the app's folder.

    The app's own folder (where `app.py` is) counts too, and wins: `streamlit run app.py` reads it
    whatever folder it starts from. Without it, `ddmt serve` started elsewhere could read `oidc` from
    the starting folder and listen on every address while the app, reading `none` next to `app.py`,
    let anyone in.
    """
    cwd = Path.cwd() if cwd is None else cwd
    home = Path.home() if home is None else home
    app_dir = APP_DIR if app_dir is None else app_dir
    paths = [home / ".streamlit" / "secrets.toml", cwd / ".streamlit" / "secrets.toml"]
    app_file = app_dir / ".streamlit" / "secrets.toml"
    if app_file.resolve() not in {path.resolve() for path in paths}:
        paths.append(app_file)
    return paths


def secrets_file_section(paths: Sequence[Path] | None = None) -> dict[str, Any]:
    """The `[ddmt]` section of the secrets files (later files win key by key); empty if there is none."""
    merged: dict[str, Any] = {}
    for path in secrets_paths() if paths is None else paths:
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SettingsError(f"{path}: cannot be read as TOML: {error}") from error
        section = data.get(SECTION)
        if isinstance(section, Mapping):
            merged.update(section)
    return merged


def serve_arguments(settings: Settings) -> list[str]:
    """The `streamlit run` options access needs: localhost only unless people sign in."""
    return [] if settings.shared else ["--server.address", "localhost"]
