"""What the Airbyte registry and users read: metadata.yaml against the registry's fields, and the docs page, both
kept in step with setup.py, the Dockerfile and spec.json."""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from urllib.parse import urlparse

import jsonschema

from .test_packaging import (
    PINNED_BASE_IMAGE,
    REPO,
    SPEC,
    arguments_of,
    exec_form,
    metadata,
    setup_keyword,
    setup_version,
)

DOCS_PAGE = REPO / "docs" / "gong-activity.md"
SCHEMA = REPO / "source_gong_activity" / "schemas" / "activity.json"

# --- metadata.yaml ----------------------------------------------------------------------------------------------------

UUID4 = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$"
ENABLED = {"type": "object", "required": ["enabled"], "properties": {"enabled": {"type": "boolean"}}}
TEXT = {"type": "string", "minLength": 1}

# The fields Airbyte's connector registry reads from metadata.yaml (metadataSpecVersion 1.0).
METADATA_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["data", "metadataSpecVersion"],
    "additionalProperties": False,
    "properties": {
        "metadataSpecVersion": {"const": "1.0"},
        "data": {
            "type": "object",
            "required": [
                "connectorType",
                "connectorSubtype",
                "definitionId",
                "dockerRepository",
                "dockerImageTag",
                "name",
                "documentationUrl",
                "githubIssueLabel",
                "license",
                "releaseStage",
                "supportLevel",
                "tags",
                "connectorBuildOptions",
                "allowedHosts",
                "remoteRegistries",
                "registryOverrides",
                "connectorTestSuitesOptions",
                "ab_internal",
            ],
            "properties": {
                "connectorType": {"enum": ["source", "destination"]},
                "connectorSubtype": {
                    "enum": ["api", "database", "datalake", "file", "custom", "message_queue", "unknown", "vectorstore"]
                },
                "definitionId": {"type": "string", "format": "uuid", "pattern": UUID4},
                "dockerRepository": {"type": "string", "pattern": r"^airbyte/(source|destination)-[a-z0-9-]+$"},
                "dockerImageTag": {"type": "string", "pattern": SEMVER},
                "name": TEXT,
                "documentationUrl": {"type": "string", "format": "uri", "pattern": r"^https://"},
                "githubIssueLabel": TEXT,
                "license": TEXT,
                "releaseStage": {"enum": ["alpha", "beta", "generally_available", "custom"]},
                "supportLevel": {"enum": ["community", "certified", "archived"]},
                "tags": {
                    "type": "array",
                    "items": {"type": "string", "pattern": r"^[a-z]+:[a-z0-9_.-]+$"},
                    "allOf": [{"contains": {"const": "language:python"}}, {"contains": {"const": "cdk:python"}}],
                },
                "connectorBuildOptions": {
                    "type": "object",
                    "required": ["baseImage"],
                    "properties": {"baseImage": {"type": "string", "pattern": PINNED_BASE_IMAGE}},
                },
                "allowedHosts": {
                    "type": "object",
                    "required": ["hosts"],
                    "properties": {
                        "hosts": {
                            "type": "array",
                            "minItems": 1,
                            "uniqueItems": True,
                            "items": {"type": "string", "pattern": r"^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$"},
                        }
                    },
                },
                "remoteRegistries": {
                    "type": "object",
                    "required": ["pypi"],
                    "properties": {
                        "pypi": {
                            **ENABLED,
                            "required": ["enabled", "packageName"],
                            "properties": {
                                "enabled": {"type": "boolean"},
                                "packageName": {
                                    "type": "string",
                                    "pattern": r"^airbyte-(source|destination)-[a-z0-9-]+$",
                                },
                            },
                        }
                    },
                },
                "registryOverrides": {
                    "type": "object",
                    "required": ["cloud", "oss"],
                    "properties": {"cloud": ENABLED, "oss": ENABLED},
                },
                "connectorTestSuitesOptions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["suite"],
                        "properties": {
                            "suite": {"enum": ["unitTests", "integrationTests", "acceptanceTests", "liveTests"]}
                        },
                    },
                    "allOf": [
                        {"contains": {"properties": {"suite": {"const": suite}}}}
                        for suite in ("unitTests", "integrationTests", "acceptanceTests")
                    ],
                },
                "ab_internal": {
                    "type": "object",
                    "required": ["sl", "ql"],
                    "properties": {
                        "sl": {"enum": [0, 100, 200, 300]},
                        "ql": {"enum": [0, 100, 200, 300, 400, 500, 600]},
                    },
                },
                "releases": {"type": "object"},
            },
        },
    },
}


def test_metadata_has_every_field_the_registry_needs() -> None:
    validator = jsonschema.Draft202012Validator(METADATA_SCHEMA, format_checker=jsonschema.FormatChecker())

    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(metadata())
    ]

    assert problems == []


def test_metadata_matches_setup_py_the_dockerfile_and_the_spec() -> None:
    data = metadata()["data"]

    assert data["dockerImageTag"] == setup_version()
    assert data["connectorBuildOptions"]["baseImage"] == arguments_of("FROM")[0]
    assert data["documentationUrl"] == json.loads(SPEC.read_text(encoding="utf-8"))["documentationUrl"]
    assert data["githubIssueLabel"] == data["dockerRepository"].split("/")[1]


def test_setup_py_builds_the_package_that_metadata_names_on_pypi_and_installs_the_dockerfile_s_command() -> None:
    # Airbyte's registry installs metadata.yaml's packageName from PyPI: it must be the name setup.py builds, and
    # that name is Airbyte's convention, airbyte-<connector>.
    data = metadata()["data"]
    connector = data["dockerRepository"].split("/")[1]

    assert setup_keyword("name") == data["remoteRegistries"]["pypi"]["packageName"] == f"airbyte-{connector}"
    assert setup_keyword("entry_points") == {"console_scripts": [f"{connector}=source_gong_activity.run:main"]}
    assert exec_form(arguments_of("ENTRYPOINT")[0]) == [connector]


def test_allowed_hosts_cover_every_default_and_example_host_of_the_spec() -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))["connectionSpecification"]["properties"]
    urls = [spec[field]["default"] for field in ("base_url", "token_url")] + spec["base_url"]["examples"]
    hosts = metadata()["data"]["allowedHosts"]["hosts"]

    uncovered = [url for url in urls if not any(fnmatch.fnmatchcase(urlparse(url).hostname, host) for host in hosts)]

    assert uncovered == []


# --- docs/gong-activity.md ----------------------------------------------------------------------------------------


def newest_changelog_version(page: str) -> str | None:
    changelog = page.split("\n## Changelog", 1)[1]
    for line in changelog.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and re.match(SEMVER, cells[0]):
            return cells[0]
    return None


def test_the_changelogs_newest_version_is_the_package_and_image_version() -> None:
    newest = newest_changelog_version(DOCS_PAGE.read_text(encoding="utf-8"))

    assert newest == setup_version() == metadata()["data"]["dockerImageTag"]


def _spec_fields(schema: dict) -> Iterator[str]:
    for name, field in schema.get("properties", {}).items():
        yield name
        yield from _spec_fields(field)
    for option in schema.get("oneOf", []):
        yield from _spec_fields(option)


def test_the_docs_page_names_every_config_field_and_every_metric() -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    spec = json.loads(SPEC.read_text(encoding="utf-8"))["connectionSpecification"]
    metrics = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["metrics"]["properties"]

    missing = [name for name in [*_spec_fields(spec), *metrics] if f"`{name}`" not in page]

    assert missing == []
