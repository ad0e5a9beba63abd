"""Sphinx configuration of the mentorcore docs site.

Build (from the repository root, with every plug-in installed)::

    .venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html
    .venv/bin/sphinx-build -W --keep-going -b doctest docs docs/_build/doctest
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The docs' examples read files under examples/ by relative path.
os.chdir(ROOT)
sys.path.insert(0, str(ROOT / "src"))
# The worked example of the plug-in author's guide, importable without installing it.
sys.path.insert(0, str(ROOT / "examples" / "plugin-author" / "src"))

import mentorcore  # noqa: E402

project = "mentorcore"
author = "The mentorcore developers"
copyright = "The mentorcore developers"
release = mentorcore.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "mentorcore.sphinxext",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"mentorcore {release}"
html_static_path = ["_static"]
html_css_files = ["mentorcore.css"]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Pages render programs from the installed plug-ins. The plug-in author's
# guide renders its example from this registry instead (``:registry: guide``),
# so the example's amendment of IPA never reaches IPA's own page.
mentorcore_registries = {
    "guide": ["mentorcore_example_district.plugin", "mentorcore_ipa.plugin"],
}

import doctest  # noqa: E402

doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)
# Only the pages' {doctest} blocks: the docstrings' examples run under
# ``pytest --doctest-modules`` with their modules' names in scope.
doctest_test_doctest_blocks = ""
doctest_global_setup = """
import datetime as dt
from decimal import Decimal

import mentorcore
"""
