"""README.md shows real output: its sample lines must appear in the golden outputs."""

from __future__ import annotations

import re

from .conftest import GOLDEN, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(after: str) -> list[str]:
    """Lines of the first fenced block after the heading line containing ``after``."""
    start = README.index(after)
    block = re.search(r"```\n(.*?)```", README[start:], re.S).group(1)
    return [line.rstrip() for line in block.splitlines()]


def _golden_lines(name: str) -> set[str]:
    return {line.rstrip() for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines()}


def _check(lines: list[str], golden: set[str]) -> None:
    shown = [line for line in lines if line and line != "..." and not line.startswith("$ ")]
    assert len(shown) >= 8
    missing = [line for line in shown if line not in golden and line.strip() not in {g.strip() for g in golden}]
    assert not missing, missing


def test_readme_scan_output_is_real():
    _check(_blocks("On the five seed responses"), _golden_lines("seeds_table.txt"))


def test_readme_compare_output_is_real():
    _check(_blocks("### `nccd compare A B`"), _golden_lines("compare_table.txt"))


def test_readme_commands_are_the_ci_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install . && nccd scan fixtures/seeds" in README
    assert "pip install '.[test]' && python -m pytest" in README
    assert "pip install '.[test]' && python -m pytest" in ci
