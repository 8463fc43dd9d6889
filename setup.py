"""What pre-commit installs for the `copylint` hook (`language: python`).

pre-commit installs a hook repository with `pip install .`. This package
holds nothing: it requires the copylint wheel of this checkout's version,
so pip installs the prebuilt binary instead of compiling the crate. The
version is read from Cargo.toml, the one place it is kept. The wheel itself
is built from pypi/pyproject.toml.
"""

import re
from pathlib import Path

from setuptools import setup

CARGO_TOML = Path(__file__).resolve().with_name("Cargo.toml").read_text(encoding="utf-8")
VERSION = re.search(r'^version = "([^"]+)"$', CARGO_TOML, re.MULTILINE).group(1)

setup(
    name="pre_commit_placeholder_package",
    version="0.0.0",
    install_requires=[f"copylint=={VERSION}"],
    packages=[],
    py_modules=[],
)
