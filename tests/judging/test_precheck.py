import pytest

from qa_arena_desktop.judging.precheck import MAX_TEST_FILE_BYTES, decode_tests, source_reason


def test_valid_file_passes():
    assert decode_tests(b"def test_a():\n    assert 1\n").problem == ""


def test_empty_file_is_explained():
    assert "empty" in decode_tests(b"  \n\n").problem


def test_non_utf8_bytes_are_explained_and_kept():
    checked = decode_tests(b"def test_a():\n    assert '\xff'\n")
    assert "not valid UTF-8" in checked.problem
    assert "offset 26" in checked.problem
    assert checked.text.startswith("def test_a()")


def test_syntax_error_names_the_line():
    checked = decode_tests(b"def test_a():\n    assert (1\n\ndef test_b(:\n    pass\n")
    assert checked.problem.startswith("syntax error in your tests at line")


def test_file_over_the_limit_is_refused():
    data = b"def test_a():\n    pass\n" + b"#" * (MAX_TEST_FILE_BYTES + 1)
    assert "limit" in decode_tests(data).problem


@pytest.mark.parametrize(
    "source",
    [
        "def helper():\n    pass\n",
        "class Helper:\n    def test_a(self):\n        pass\n",
        "x = 1\n",
    ],
)
def test_files_without_test_functions_are_explained(source):
    assert decode_tests(source).problem.startswith("no test functions found")


@pytest.mark.parametrize(
    "source",
    [
        "class TestThing:\n    def test_a(self):\n        pass\n",
        "async def test_a():\n    pass\n",
        "from helpers import test_shared\n",
    ],
)
def test_other_shapes_of_tests_are_accepted(source):
    assert decode_tests(source).problem == ""


@pytest.mark.parametrize(
    "source",
    [
        "import inspect\nimport target\n\ndef test_a():\n    assert 'x' in inspect.getsource(target)\n",
        "from target import f\n\ndef test_a():\n    assert f.__code__.co_consts\n",
        "import dis\nfrom target import f\n\ndef test_a():\n    dis.dis(f)\n",
        "import target\n\ndef test_a():\n    assert 'bug' in open(target.__file__).read()\n",
        "def test_a():\n    assert 'return' in open('target.py').read()\n",
        "from importlib import util\n\ndef test_a():\n    util.find_spec('target').loader\n",
    ],
)
def test_reading_the_code_under_test_is_flagged_not_blocked(source):
    checked = decode_tests(source)
    assert checked.problem == ""
    assert checked.flags == ("reads-target-source",)


def test_ordinary_tests_carry_no_flag():
    source = "import pytest\nfrom target import f\n\ndef test_a():\n    assert f(1) == 2\n"
    assert decode_tests(source).flags == ()


@pytest.mark.parametrize(
    "source",
    [
        # the file name built at run time: no string constant names it
        "def test_a():\n    assert 'return' in open('tar' + 'get.py').read()\n",
        "import os\n\ndef test_a():\n    assert os.stat('tar' + 'get.py').st_size > 10\n",
        "import os\n\ndef test_a():\n"
        "    name = [n for n in os.listdir('.') if n.startswith('tar')][0]\n"
        "    assert 'return' in open(name).read()\n",
        "import os\n\ndef test_a():\n    assert os.listdir()\n",
        "import os\n\ndef test_a():\n    assert [e.stat().st_size for e in os.scandir()]\n",
        "import os\n\ndef test_a():\n    assert list(os.walk('.'))\n",
        "import glob\n\ndef test_a():\n    assert glob.glob('*.py')\n",
        "from os import listdir as ld\n\ndef test_a():\n    assert ld('.')\n",
        "def test_a():\n    assert __import__('os').listdir('.')\n",
        "import io\n\ndef test_a():\n    assert io.open('x' + '.py').read()\n",
        "import os.path\n\ndef test_a():\n    assert os.path.getsize('tar' + 'get.py') > 0\n",
        "from pathlib import Path\n\ndef test_a():\n"
        "    assert [p.read_text() for p in Path.cwd().iterdir()]\n",
        "import pathlib\n\ndef test_a():\n    p = pathlib.Path('tar' + 'get.py')\n"
        "    assert p.stat().st_size\n",
        "from pathlib import Path\n\ndef test_a():\n    assert list(Path('.').glob('*.py'))\n",
        "import importlib.resources\n\ndef test_a():\n    importlib.resources.files('x')\n",
        "import importlib.util\n\ndef test_a():\n    importlib.util.spec_from_file_location('x', 'y')\n",
        "import inspect\nimport target\n\ndef test_a():\n    assert inspect.getsourcefile(target)\n",
        "import target\n\ndef test_a():\n    assert target.__file__\n",
        "from target import f\n\ndef test_a():\n    assert f.__globals__['SECRET']\n",
        "from target import f\n\ndef test_a():\n    assert getattr(f, '__code__')\n",
        "import gc\n\ndef test_a():\n    assert gc.get_objects()\n",
        "import sys\n\ndef test_a():\n    assert sys._getframe(1).f_locals\n",
        "import ctypes\n\ndef test_a():\n    pass\n",
        "import traceback\n\ndef test_a():\n    traceback.print_exc()\n",
        "def test_a():\n    exec('x = 1')\n",
        "import shutil\n\ndef test_a(tmp_path):\n    shutil.copy('tar' + 'get.py', tmp_path)\n",
        "import subprocess\n\ndef test_a():\n    subprocess.run(['cat', 'x'])\n",
        # near tmp_path is not under it
        "def test_a(tmp_path):\n    assert (tmp_path / '..' / 'x').exists()\n",
        "def test_a(tmp_path):\n    assert list(tmp_path.parent.parent.iterdir())\n",
        "def test_a(monkeypatch, tmp_path):\n    monkeypatch.chdir(tmp_path)\n    open('../' + 'x').read()\n",
        "def read(path):\n    return open(path).read()\n\n"
        "def test_a(tmp_path):\n    read(tmp_path / 'x')\n    read('tar' + 'get.py')\n",
    ],
)
def test_file_system_and_process_introspection_is_flagged(source):
    assert source_reason(source)
    assert decode_tests(source).flags == ("reads-target-source",)


@pytest.mark.parametrize(
    "source",
    [
        "import os\n\ndef test_a(tmp_path):\n    p = tmp_path / 'a.txt'\n    p.write_text('1')\n"
        "    assert p.read_text() == '1'\n    with open(p) as fh:\n        assert fh.read() == '1'\n"
        "    with open(tmp_path / 'b.txt', 'w') as fh:\n        fh.write('x')\n"
        "    assert os.path.exists(str(tmp_path / 'b.txt'))\n"
        "    assert sorted(os.listdir(tmp_path)) == ['a.txt', 'b.txt']\n"
        "    for f in tmp_path.iterdir():\n        assert f.stat().st_size\n",
        "def test_a(tmpdir):\n    f = tmpdir.join('x.txt')\n    f.write('hi')\n    assert f.read() == 'hi'\n"
        "    assert open(str(f)).read() == 'hi'\n",
        "import pytest\n\n@pytest.fixture\ndef data_file(tmp_path):\n    path = tmp_path / 'data.csv'\n"
        "    path.write_text('a,b')\n    return path\n\ndef test_a(data_file):\n"
        "    with open(data_file) as fh:\n        assert fh.read()\n    assert data_file.read_text()\n",
        "def write(directory, name):\n    path = directory / name\n    path.write_text('x')\n"
        "    return open(path).read()\n\ndef test_a(tmp_path):\n    assert write(tmp_path, 'a.txt') == 'x'\n",
        "def test_a(monkeypatch, tmp_path):\n    monkeypatch.chdir(tmp_path)\n"
        "    with open('out.txt', 'w') as fh:\n        fh.write('x')\n"
        "    assert open('out.txt').read() == 'x'\n",
        "import os\nimport tempfile\n\ndef test_a():\n    with tempfile.TemporaryDirectory() as d:\n"
        "        p = os.path.join(d, 'x')\n        open(p, 'w').write('1')\n"
        "        assert os.listdir(d) == ['x']\n",
        "def test_a(tmp_path):\n    open(f'{tmp_path}/x.txt', 'w').write('1')\n",
        "import pytest\n\n@pytest.mark.parametrize('name', ['a.txt', 'b.txt'])\ndef test_a(tmp_path, name):\n"
        "    (tmp_path / name).write_text('1')\n    assert (tmp_path / name).read_text() == '1'\n",
        "def test_a(tmp_path_factory):\n    d = tmp_path_factory.mktemp('data')\n"
        "    assert not (d / 'x').exists()\n",
        "import ast\nimport json\nimport re\n\ndef test_a():\n    d = {'a': 1}\n    assert d.copy() == d\n"
        "    assert re.compile('a').match('a') and json.loads('{}') == {}\n"
        "    assert list(ast.walk(ast.parse('1')))\n",
        "import inspect\nfrom target import f\n\ndef test_a():\n"
        "    assert list(inspect.signature(f).parameters)\n",
        "import importlib\nimport target\n\ndef test_a():\n    importlib.reload(target)\n",
        "import gc\n\ndef test_a():\n    gc.collect()\n",
        "from unittest import mock\nimport target\n\ndef test_a():\n"
        "    with mock.patch.object(target, 'f', autospec=True):\n        pass\n",
        "def test_a():\n    assert eval(repr([1])) == [1]\n",
        "import pytest\nfrom target import f\n\ndef test_a(capsys, monkeypatch):\n"
        "    monkeypatch.setattr('target.LIMIT', 3)\n    with pytest.raises(ValueError, match='x'):\n"
        "        f(-1)\n    assert f(0.1) == pytest.approx(0.2)\n    print(f(1))\n"
        "    assert capsys.readouterr().out\n",
    ],
)
def test_honest_tests_with_their_own_temporary_files_carry_no_flag(source):
    assert source_reason(source) == ""
    assert decode_tests(source).flags == ()


def test_every_reference_test_file_of_the_bundled_packs_carries_no_flag():
    from pathlib import Path

    files = sorted((Path(__file__).resolve().parents[2] / "problems").glob("*/reference_tests.py"))
    assert files
    assert {f.parent.name: source_reason(f.read_text(encoding="utf-8")) for f in files} == {
        f.parent.name: "" for f in files}


def test_a_pathologically_nested_file_is_explained_or_flagged_not_crashed():
    too_deep = "def test_a(tmp_path):\n    open(tmp_path / " + " + ".join(["'a'"] * 5000) + ")\n"
    assert decode_tests(too_deep).problem == "your test file is too deeply nested to be parsed"
    deep = "def test_a(tmp_path):\n    open(tmp_path / (" + " + ".join(["'a'"] * 900) + "))\n"
    assert decode_tests(deep).problem == ""
    assert isinstance(source_reason(deep), str)
