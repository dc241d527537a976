"""`config.persisted`: the atomic write, the `--persist-config` flag beside the CDK's parser, and its warnings."""

from __future__ import annotations

import json
import logging
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from airbyte_cdk.entrypoint import AirbyteEntrypoint

from integration_tests.ci import skip_unless_ci
from source_gong_activity.config import persisted
from source_gong_activity.config.persisted import CommandLineConfig, config_saver, save_config, take_persist_flag

OLD = {"credentials": {"auth_type": "oauth2.0", "refresh_token": "rt-old-3Kd72LpV1wZs"}, "start_date": "2024-01-01"}
NEW = {
    "credentials": {
        "auth_type": "oauth2.0",
        "refresh_token": "rt-new-Vn7Lq2Xw9Kc4",
        "access_token": "at-new-Mz8Rb1Td6Yp3",
        "token_expiry_date": "2026-12-01T10:00:00+00:00",
    },
    "start_date": "2024-01-01",
}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(OLD))
    return path


@pytest.fixture
def warnings() -> Iterator[list[str]]:
    """The WARN messages of the `airbyte` logger, which the CDK's entrypoint prints as Airbyte LOG messages."""
    caught: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: caught.append(record.getMessage())  # type: ignore[method-assign]
    persisted.logger.addHandler(handler)
    yield caught
    persisted.logger.removeHandler(handler)


# The longest file name Linux allows (NAME_MAX, 255 bytes): save_config's temporary beside it, ".{name}.XXXXXXXX.tmp",
# is then too long to create, for root too.
LONGEST_NAME = "c" * 250 + ".json"


@pytest.fixture(params=["immutable", "no-room-for-a-temporary"])
def unwritable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A config file holding OLD that save_config cannot replace, even as root (tests run as root, whom no permission
    bit stops): made immutable with `chattr +i` (ext4, xfs, btrfs; not tmpfs or overlayfs), or named so long that no
    temporary can be made beside it, which needs nothing of the filesystem."""
    if request.param == "no-room-for-a-temporary":
        path = tmp_path / LONGEST_NAME
        path.write_text(json.dumps(OLD))
        yield path
        return
    path = tmp_path / "config.json"
    path.write_text(json.dumps(OLD))
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        skip_unless_ci(f"chattr +i is not supported here ({done.stderr.strip()}); the other way still runs")
    yield path
    subprocess.run(["chattr", "-i", str(path)], check=True)


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_given_a_config_file_when_saved_then_it_holds_the_new_config_with_its_permission_bits_and_no_temporary_left(
    config_file: Path, mode: int
) -> None:
    config_file.chmod(mode)

    save_config(config_file, NEW)

    assert json.loads(config_file.read_text()) == NEW
    assert stat.S_IMODE(config_file.stat().st_mode) == mode
    assert files_in(config_file.parent) == ["config.json"]


def test_given_no_file_yet_when_saved_then_it_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    save_config(tmp_path / "new.json", NEW)

    assert json.loads((tmp_path / "new.json").read_text()) == NEW
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600


def test_given_a_symbolic_link_when_saved_then_its_target_is_replaced_and_the_link_kept(config_file: Path) -> None:
    link = config_file.parent / "link.json"
    link.symlink_to(config_file.name)

    save_config(link, NEW)

    assert link.is_symlink() and json.loads(config_file.read_text()) == NEW


def test_given_a_file_that_cannot_be_replaced_when_saved_then_oserror_and_the_old_file_is_untouched_without_temporaries(
    unwritable: Path,
) -> None:
    with pytest.raises(OSError):
        save_config(unwritable, NEW)

    assert json.loads(unwritable.read_text()) == OLD
    assert files_in(unwritable.parent) == [unwritable.name]


def test_given_a_pyairbyte_callback_when_called_with_a_new_config_then_the_file_holds_it(config_file: Path) -> None:
    config_saver(str(config_file))(NEW)

    assert json.loads(config_file.read_text()) == NEW


@pytest.mark.parametrize(
    "args, expected",
    [
        (["read", "--config", "c.json", "--catalog", "k.json", "--persist-config"], True),
        (["check", "--persist-config", "--config", "c.json"], True),
        (["discover", "--config", "c.json", "--persist-config", "--debug"], True),
        (["read", "--config", "c.json", "--catalog", "k.json"], False),
        (["spec", "--persist-config"], False),
    ],
)
def test_given_arguments_when_the_flag_is_taken_then_the_rest_is_what_the_cdk_knows(
    args: list[str], expected: bool
) -> None:
    persist, others = take_persist_flag(args)

    assert persist is expected
    assert others == ([arg for arg in args if arg != "--persist-config"] if expected else args)


def test_given_the_flag_on_read_when_parsed_then_the_cdk_sees_its_own_arguments_and_the_file_is_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(persisted, "_command_line", None)  # restored after: in-process tests must not persist

    parsed = persisted.parse_args(
        AirbyteEntrypoint, ["read", "--config", "c.json", "--catalog", "k.json", "--persist-config"]
    )

    assert (parsed.command, parsed.config, parsed.catalog) == ("read", "c.json", "k.json")
    remembered = persisted._command_line
    assert remembered is not None and remembered.persist and remembered.config_path == "c.json"


def test_given_the_flag_on_spec_when_parsed_then_the_cdk_parser_refuses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persisted, "_command_line", None)

    with pytest.raises(SystemExit) as exit_info:
        persisted.parse_args(AirbyteEntrypoint, ["spec", "--persist-config"])

    assert exit_info.value.code == 2


def test_given_the_flag_and_a_writable_file_when_the_config_is_updated_then_saved_without_a_warning(
    config_file: Path, warnings: list[str]
) -> None:
    CommandLineConfig(str(config_file), persist=True).config_updated(NEW)

    assert json.loads(config_file.read_text()) == NEW and warnings == []


def test_given_the_flag_and_a_file_that_cannot_be_written_when_updated_then_a_warning_points_at_the_control_message(
    unwritable: Path, warnings: list[str]
) -> None:
    CommandLineConfig(str(unwritable), persist=True).config_updated(NEW)

    [warning] = warnings
    assert "were not saved" in warning and str(unwritable) in warning and "CONTROL message" in warning
    assert "rt-new" not in warning and json.loads(unwritable.read_text()) == OLD


def test_given_no_flag_outside_the_platform_when_updated_twice_then_one_warning_names_the_flag_and_the_file_is_kept(
    config_file: Path, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in persisted.PLATFORM_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    before = config_file.read_bytes()
    line = CommandLineConfig(str(config_file), persist=False)

    line.config_updated(NEW)
    line.config_updated(NEW)

    [warning] = warnings
    assert "--persist-config" in warning and "rt-new" not in warning
    assert config_file.read_bytes() == before


@pytest.mark.parametrize("variable", ["WORKER_JOB_ID", "WORKER_CONNECTOR_IMAGE"])
def test_given_no_flag_inside_the_platform_when_updated_then_no_warning_and_the_file_is_kept(
    config_file: Path, warnings: list[str], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "42")
    before = config_file.read_bytes()

    CommandLineConfig(str(config_file), persist=False).config_updated(NEW)

    assert warnings == [] and config_file.read_bytes() == before


def test_given_an_in_process_run_when_the_config_is_updated_then_nothing_is_written_or_logged(
    warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(persisted, "_command_line", None)

    persisted.config_updated(NEW)

    assert warnings == []
