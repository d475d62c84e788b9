"""The layering rules import-linter cannot see (CONTRIBUTING "Layers"): an import inside a function
hides a dependency from it, so each one must say why it cannot be at the top of its module."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "inspection", "clues", "talentpool", "liaison", "reports", "demo", "config")


def _unexplained_inner_imports(path: Path, root: Path = ROOT) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for function in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            # The reason is a comment on the line, or a comment above the block of imports it opens.
            above = node.lineno - 2
            while above >= 0 and lines[above].lstrip().startswith(("from ", "import ")):
                above -= 1
            statement = lines[node.lineno - 1 : node.end_lineno]
            explained = any("#" in line for line in statement) or (above >= 0 and lines[above].lstrip().startswith("#"))
            if not explained:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return sorted(set(found))


def test_every_import_inside_a_function_says_why():
    offenders = [
        line
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for line in _unexplained_inner_imports(path)
    ]
    assert offenders == [], (
        "Hoist these to the top of the module, or say on the line why they cannot be:\n" + "\n".join(offenders)
    )


def test_the_check_finds_an_unexplained_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def ready():\n"
        "    # Imported here: models load once the app registry is ready.\n"
        "    from a import b\n"
        "    from c import d\n"
        "\n"
        "def other():\n"
        "    from e import f  # e imports this module\n"
        "    from g import h\n",
        encoding="utf-8",
    )
    assert _unexplained_inner_imports(sample, tmp_path) == ["sample.py:8: from g import h"]
