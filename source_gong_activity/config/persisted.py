"""Keeps Gong's single-use refresh tokens across runs outside the platform: `--persist-config` and `save_config`."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any

PERSIST_FLAG = "--persist-config"
# The commands that take `--config`; `spec` has no config to write back, so the CDK's parser rejects the flag there.
COMMANDS_WITH_CONFIG = ("check", "discover", "read")
# The Airbyte platform's workers set these for every connector container (io.airbyte.config.WorkerEnvConstants);
# there the CONTROL message stores the new config, and nothing else should.
PLATFORM_VARIABLES = ("WORKER_JOB_ID", "WORKER_JOB_ATTEMPT", "WORKER_CONNECTOR_IMAGE")
NEW_CONFIG_FILE_MODE = 0o600

logger = logging.getLogger("airbyte")


class CommandLineConfig:
    """What to do with a refreshed config in a command-line run: write it to `path`, or say how to keep it."""

    def __init__(self, config_path: str, persist: bool):
        self.config_path = config_path
        self.persist = persist
        self._warned = False

    def config_updated(self, config: Mapping[str, Any]) -> None:
        if self.persist:
            self._save(config)
        elif not self._warned and not is_inside_platform():
            self._warned = True
            logger.warning(
                f"Gong's refresh tokens are single-use: this run replaced the one in '{self.config_path}', which is "
                f"now dead. Run with {PERSIST_FLAG} to write the new one into that file, or store the config of this "
                "run's CONTROL message (PyAirbyte: config_change_callback) before the next run."
            )

    def _save(self, config: Mapping[str, Any]) -> None:
        try:
            save_config(self.config_path, config)
        except OSError as error:
            # The sync itself is fine; only the next run is at risk, so warn and go on.
            logger.warning(
                f"The refreshed OAuth tokens were not saved to '{self.config_path}' "
                f"({error.strerror or type(error).__name__}). The new config is in this run's CONTROL message: "
                "store it there before the next run, or Gong will refuse the used refresh token."
            )


# Set by `parse_args` for a command-line run; None in process (the CDK's entrypoint, tests, the Connector Builder).
_command_line: CommandLineConfig | None = None


def parse_args(entrypoint: Any, args: Sequence[str]) -> argparse.Namespace:
    """The CDK's `parse_args` on `args` without `--persist-config`, which it does not know; remembers the flag."""
    global _command_line
    persist, cdk_args = take_persist_flag(args)
    parsed = entrypoint.parse_args(cdk_args)
    config_path = getattr(parsed, "config", None)
    _command_line = CommandLineConfig(config_path, persist) if config_path else None
    return parsed


def take_persist_flag(args: Sequence[str]) -> tuple[bool, list[str]]:
    """(whether `--persist-config` was given, the other arguments); left in for commands without `--config`."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument(PERSIST_FLAG, action="store_true")
    known, others = parser.parse_known_args(list(args))
    if not known.persist_config or not others or others[0] not in COMMANDS_WITH_CONFIG:
        return False, list(args)
    return True, others


def config_updated(config: Mapping[str, Any]) -> None:
    """The hook after every CONNECTOR_CONFIG control message (`auth.GongOAuthAuthenticator`)."""
    if _command_line is not None:
        _command_line.config_updated(config)


def is_inside_platform() -> bool:
    return any(os.environ.get(name) for name in PLATFORM_VARIABLES)


def save_config(path: str | os.PathLike[str], config: Mapping[str, Any]) -> None:
    """Replaces the JSON file at `path` with `config` atomically, keeping its permission bits (a new file gets 600).

    A temporary file in the same directory is written, flushed to disk and renamed over the old one, so a crash
    leaves either the old config or the new one, never half of each. A symbolic link (Kubernetes mounts secrets
    so) is followed and its target replaced. Raises OSError when the file cannot be written.
    """
    target = os.path.realpath(path)
    directory, name = os.path.split(target)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), stat.S_IMODE(old.st_mode) if old else NEW_CONFIG_FILE_MODE)
            if old and old.st_uid != os.geteuid():
                # Root writing a user's file would otherwise hand it to root; anyone else may not chown, and the
                # permission bits still hold.
                with contextlib.suppress(OSError):
                    os.fchown(file.fileno(), old.st_uid, old.st_gid)
            json.dump(config, file, indent=2)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    """Makes the rename itself durable; some filesystems cannot open a directory, which is no reason to fail."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def config_saver(path: str | os.PathLike[str]) -> Callable[[dict[str, Any]], None]:
    """A PyAirbyte `config_change_callback` that keeps each new config in `path` (`get_source(...,
    config_change_callback=config_saver(path))`); the quick start can pass it the same way."""

    def save(config: dict[str, Any]) -> None:
        save_config(path, config)

    return save
