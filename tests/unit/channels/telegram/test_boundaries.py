"""The channel talks to Rasa only: it never imports the action server's code."""

from __future__ import annotations

import ast
from pathlib import Path

import channels.telegram

PACKAGE = Path(channels.telegram.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names


def test_no_module_of_the_channel_imports_actions():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 10
    for path in modules:
        imported = imported_modules(path)
        assert not {m for m in imported if m == "actions" or m.startswith("actions.")}, path.name
