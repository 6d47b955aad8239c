"""The domain package is plain data: it imports without the engine, the database or Qt."""

import pkgutil
import subprocess
import sys

from tests.import_blocker import import_with_blocked


def test_every_domain_module_imports_with_docker_sqlalchemy_and_qt_blocked():
    import qa_arena_desktop.domain as domain

    modules = [info.name for info in pkgutil.iter_modules(domain.__path__, "qa_arena_desktop.domain.")]
    assert {"qa_arena_desktop.domain.pack", "qa_arena_desktop.domain.verdicts",
            "qa_arena_desktop.domain.judge_models", "qa_arena_desktop.domain.events",
            "qa_arena_desktop.domain.backend"} <= set(modules)
    completed = import_with_blocked(["docker", "requests", "sqlalchemy", "PySide6"], modules)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_importing_the_domain_loads_no_other_package_of_the_app():
    code = ("import sys, qa_arena_desktop.domain.backend, qa_arena_desktop.domain.events\n"
            "print(sorted({m.split('.')[1] for m in sys.modules\n"
            "              if m.startswith('qa_arena_desktop.')}))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "['domain', 'text_safety']"
