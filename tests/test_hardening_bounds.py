"""The edges of what clausewright accepts, bounded and stated truthfully.

- Library code is bounded (clausewright/limits.py): what a clause fragment, a schema condition or
  default, or a profile's condition can make clausewright build is limited, and going beyond a
  limit is one clear error naming where, never a traceback. Each hostile case runs
  ``clausewright generate`` in its own process under an address-space limit, so a case that
  escaped the bounds would fail its test instead of exhausting the machine; the wall-clock bound
  is generous for a busy two-core machine (a bounded case is refused at once).
- A parameter's pattern runs in linear time, whatever the pattern.
- Text keeps every character XML 1.0 allows and refuses the others, saying why.
- A CSV file that is not UTF-8 is refused at the line and column of its first bad byte.
"""

from __future__ import annotations

import codecs
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from bulk_helpers import bulk
from click.testing import CliRunner
from conftest import MINI
from qa_helpers import mini_copy

from clausewright import limits, pipeline
from clausewright.bulk.errors import PreflightError
from clausewright.cli.main import cli
from clausewright.errors import ClausewrightError, InputError, LibraryError
from clausewright.ooxml import reader

WALL_CLOCK = 30.0  # seconds one hostile case may take, start-up included
ADDRESS_SPACE = 3 * 2**30  # what the process running a case may map
PEAK_MEMORY = 250 * 2**20  # what it may use at most (a normal run of the miniature library uses about 50 MB)
# the command line, reporting the process's peak memory as it exits
COMMAND = """
import resource, sys
from clausewright.cli.main import main
try:
    main()
finally:
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KB", file=sys.stderr)
"""


def _generate(library: Path, jurisdictions: Path, deal: Path, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    command = [sys.executable, "-c", COMMAND, "generate", str(deal), "-o", str(out), "--library", str(library), "--jurisdictions", str(jurisdictions)]
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=4 * WALL_CLOCK, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {4 * WALL_CLOCK:g} seconds")
    return done, time.monotonic() - started


def _sources(tmp_path: Path) -> tuple[Path, Path]:
    library, jurisdictions = tmp_path / "library", tmp_path / "jurisdictions"
    shutil.copytree(MINI / "library", library)
    shutil.copytree(MINI / "jurisdictions", jurisdictions)
    return library, jurisdictions


def _refused(tmp_path: Path, library: Path, jurisdictions: Path, *, where: str, why: str, deal: Path = MINI / "deal.yaml",
             exit_code: int = LibraryError.exit_code) -> str:
    """Generate with the hostile sources: refused by a bound on what is built, not by the clock
    (so on any machine), within the wall-clock bound and the peak memory, with one message naming
    ``where`` and saying ``why``, and nothing written."""
    done, took = _generate(library, jurisdictions, deal, tmp_path / "out.docx")
    message = done.stdout + done.stderr
    assert took < WALL_CLOCK, f"took {took:.1f} s: {message[-500:]}"
    peak = int(re.search(r"peak memory: (\d+) KB", message).group(1)) * 1024
    assert peak < PEAK_MEMORY, f"used {peak / 2**20:.0f} MB: {message[-500:]}"
    assert done.returncode == exit_code, message[-2000:]
    assert "Traceback" not in message and "internal error" not in message, message[-2000:]
    assert where in message and why in message and "seconds" not in message, message[-2000:]
    assert not (tmp_path / "out.docx").exists()
    return message


# --- clause fragments ----------------------------------------------------------------------------------

FRAGMENTS = {
    "percent width": "{{ '%999999999d' % 1 }}",
    "percent precision": "{{ '%.999999999f' % 1 }}",
    "percent width from the values": "{{ '%*d' % (999999999, 1) }}",
    "format width": "{{ '{:>999999999}'.format('x') }}",
    "format width from a value": "{{ '{0:>{1}}'.format('x', '999999999') }}",
    "format_map width": "{{ '{a:>999999999}'.format_map({'a': 1}) }}",
    "format filter width": "{{ '%999999999s'|format('x') }}",
    "replace chain": "{% set s = 'x' * 100 %}{{ s.replace('', s).replace('', s).replace('', s).replace('', s) }}",
    "replace filter chain": "{% set s = 'x' * 100 %}{{ s|replace('', s)|replace('', s)|replace('', s)|replace('', s) }}",
    "string doubling in a namespace": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "string doubling with +": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "list doubling in a namespace": "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}",
    "list doubling by extend": "{% set l = ['x'] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}{{ l|length }}",
    "appends of huge strings": "{% set l = [] %}{% for i in range(10000) %}{{ l.append('y' * 999000 ~ i) }}{% endfor %}{{ l|length }}",
    "appends of huge slices": "{% set l = [] %}{% set y = 'y' * 999999 %}{% for i in range(10000) %}{{ l.append(y[::-1]) }}{% endfor %}{{ l|length }}",
    "center filter": "{{ 'x'|center(999999999) }}",
    "center over a map": "{{ range(10000)|map('string')|map('center', 999999)|list|length }}",
    "indent": "{{ ('\\n' * 999999)|indent(999999)|length }}",
    "wordwrap": "{{ ('x ' * 499999)|wordwrap(1, wrapstring='y' * 999999)|length }}",
    "expandtabs": "{{ ('\\t' * 999999).expandtabs(999999)|length }}",
    "translate": "{{ ('a' * 999999).translate({97: 'b' * 999999})|length }}",
    "join of a repeated list": "{{ (['y' * 999999] * 10000)|join|length }}",
    "join method of a repeated list": "{{ ''.join(['y' * 999999] * 10000)|length }}",
    "a repeated list as text": "{{ (['y' * 999999] * 10000)|string|length }}",
    "a list of lists as text": "{{ ([['y' * 900] * 1000] * 1000)|string|length }}",
    "a repeated list as JSON": "{{ (['y' * 999999] * 10000)|tojson|length }}",
    "a repeated list printed": "{{ ['y' * 999999] * 10000 }}",
    "a repeated list joined with ~": "{{ (['y' * 999999] * 10000) ~ '' }}",
    "integer squaring": "{% set ns = namespace(n=10) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n > 0 }}",
    "power of a power": "{{ (((10 ** 64) ** 64) ** 64) ** 64 > 0 }}",
    "lorem ipsum": "{{ lipsum(999999)|length }}",
}


@pytest.mark.parametrize("name", list(FRAGMENTS))
def test_a_fragment_cannot_build_gigabytes(name, tmp_path):
    library, jurisdictions = _sources(tmp_path)
    clause = library / "clauses" / "law.clause"
    clause.write_text(clause.read_text(encoding="utf-8") + "\n" + FRAGMENTS[name] + "\n", encoding="utf-8")
    _refused(tmp_path, library, jurisdictions, where="clause law", why="")


def test_the_refusal_says_which_limit(tmp_path):
    library, jurisdictions = _sources(tmp_path)
    clause = library / "clauses" / "law.clause"
    clause.write_text(clause.read_text(encoding="utf-8") + "\n" + FRAGMENTS["format width"] + "\n", encoding="utf-8")
    message = _refused(tmp_path, library, jurisdictions, where="clause law", why="went beyond a limit")
    assert "formatted text would be at least 1,000,000," in message and f"the limit is {limits.MAX_SIZE:,}" in message


# --- schema expressions, defaults, profile conditions ------------------------------------------------------

SCHEMA = {
    "when with center over a map": ("when", "(range(10000)|map('string')|map('center', 1000000)|list|length) > 0"),
    "when with replace": ("when", "(('x' * 999999)|replace('', 'y' * 999999)|length) > 0"),
    "when with a format width": ("when", "('{:>999999999}'.format('x')|length) > 0"),
    "default with center": ("default", "{{ 'x'|center(999999999) }}"),
    "default doubling a captured block": (
        "default", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s %}{{ ns.s }}{{ ns.s }}{% endset %}{% endfor %}{{ ns.s|length }}"),
    "default with a percent width": ("default", "{{ '%999999999d' % 1 }}"),
}


@pytest.mark.parametrize("name", list(SCHEMA))
def test_a_schema_expression_cannot_build_gigabytes(name, tmp_path):
    library, jurisdictions = _sources(tmp_path)
    key, expression = SCHEMA[name]
    params = library / "parameters" / "main.yaml"
    data = yaml.safe_load(params.read_text(encoding="utf-8"))
    data["parameters"].append({"id": "hostile.value", "type": "text", "label": "Hostile", "required": False, key: expression, **({"default": "x"} if key == "when" else {})})
    params.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _refused(tmp_path, library, jurisdictions, where="parameter hostile.value", why="went beyond a limit")


@pytest.mark.parametrize("expression", ["(('x'|center(999999999))|length) > 0", "(range(10000)|map('string')|map('center', 1000000)|list|length) > 0"])
def test_a_profile_condition_cannot_build_gigabytes(expression, tmp_path):
    library, jurisdictions = _sources(tmp_path)
    profile = jurisdictions / "profiles" / "vietnam.yaml"
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["notes"][0]["when"] = expression
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _refused(tmp_path, library, jurisdictions, where="note vietnam-1", why="went beyond a limit")


def test_library_wording_may_only_name_its_values(tmp_path):
    """``library.yaml`` wording is filled in with Python's format: a width (``{date:>999999999}``)
    or an attribute (``{date.__class__}``) in it is refused when the library is loaded."""
    library, jurisdictions = _sources(tmp_path)
    meta = library / "library.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + 'wording:\n  dated: "Dated {date:>999999999}"\n', encoding="utf-8")
    _refused(tmp_path, library, jurisdictions, where="library.yaml", why="wording.dated")
    meta.write_text(meta.read_text(encoding="utf-8").replace("{date:>999999999}", "{date.__class__}"), encoding="utf-8")
    _refused(tmp_path, library, jurisdictions, where="library.yaml", why="wording.dated")


def test_the_memory_allowance_turns_an_allocation_into_a_refusal():
    """The backstop for whatever the size checks do not foresee: during a run the process may
    grow by ``MEMORY_ALLOWANCE`` at most (Linux)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the process memory limit is applied on Linux")
    with pytest.raises(limits.LimitExceeded, match="needed more than"), limits.bounded():
        bytearray(2 * limits.MEMORY_ALLOWANCE)
    bytearray(2 * limits.MEMORY_ALLOWANCE)  # the allowance ends with the run


def test_the_time_limit_keeps_an_outer_alarm():
    """A run sets its own alarm and then puts back one that was pending (a test runner's timeout)."""
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers here")
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with limits.bounded():
            pass
        time.sleep(1.0)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- parameter patterns --------------------------------------------------------------------------------


def _with_pattern(tmp_path: Path, pattern: str, value: str) -> tuple[Path, Path, Path]:
    library, jurisdictions = _sources(tmp_path)
    params = library / "parameters" / "main.yaml"
    data = yaml.safe_load(params.read_text(encoding="utf-8"))
    for param in data["parameters"]:
        if param["id"] == "buyer.name":
            param.update(pattern=pattern, pattern_help="letters a only")
    params.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    deal = yaml.safe_load((MINI / "deal.yaml").read_text(encoding="utf-8"))
    deal["buyer"]["name"] = value
    (tmp_path / "deal.yaml").write_text(yaml.safe_dump(deal, allow_unicode=True), encoding="utf-8")
    return library, jurisdictions, tmp_path / "deal.yaml"


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)*$", "(a*)*b", "a*a*a*a*a*a*a*b", "(\\w+\\s?)+$"])
def test_a_pattern_runs_in_linear_time(pattern, tmp_path):
    """Patterns are matched without backtracking: one that would backtrack for minutes on forty
    ``a`` and a ``!`` (here two hundred) answers at once, with the field named."""
    library, jurisdictions, deal = _with_pattern(tmp_path, pattern, "a" * 200 + "!")
    _refused(tmp_path, library, jurisdictions, deal=deal, where="buyer.name", why="is not valid: letters a only", exit_code=InputError.exit_code)


@pytest.mark.parametrize("pattern, why", [("a(?=b)", "(?="), ("(a)\\1", "\\1"), ("[", "missing ]")])
def test_a_pattern_the_engine_cannot_run_is_refused_when_loaded(pattern, why, tmp_path):
    library, jurisdictions, deal = _with_pattern(tmp_path, pattern, "Acme")
    message = _refused(tmp_path, library, jurisdictions, deal=deal, where="parameter buyer.name", why="pattern")
    assert why in message


def test_a_pattern_still_matches_what_it_should(tmp_path):
    library, jurisdictions, deal = _with_pattern(tmp_path, "[\\p{L} &]+ Co\\.", "Công ty & Co.")
    result = pipeline.generate(deal, None, sources=pipeline.load_sources(library, jurisdictions))
    assert "Công ty & Co." in reader.read(result.docx).text()


# --- characters XML 1.0 allows -------------------------------------------------------------------------

ALLOWED = {"U+FDD0": "\ufdd0", "U+FDEF": "\ufdef", "U+FDD0 token lookalike": "\ufdd00\ufdd1", "U+1FFFE": "\U0001fffe", "U+10FFFF": "\U0010ffff"}


@pytest.mark.parametrize("name", list(ALLOWED))
def test_non_characters_xml_allows_are_kept(name, tmp_path, mini_sources):
    """XML 1.0's Char production admits U+FDD0-U+FDEF and the last two code points of the
    planes above the first, and Unicode (Corrigendum #9) lets them be interchanged: kept exactly."""
    value = f"Acme {ALLOWED[name]} Ltd"
    deal = yaml.safe_load((MINI / "deal.yaml").read_text(encoding="utf-8"))
    deal["buyer"]["name"] = value
    (tmp_path / "deal.yaml").write_text(yaml.safe_dump(deal, allow_unicode=True), encoding="utf-8")
    result = pipeline.generate(tmp_path / "deal.yaml", None, sources=mini_sources)
    assert reader.read(result.docx).text().count(value) >= 2


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\x07"])
def test_characters_xml_excludes_are_refused_truthfully(char, tmp_path, mini_sources):
    deal = yaml.safe_load((MINI / "deal.yaml").read_text(encoding="utf-8"))
    deal["buyer"]["name"] = f"Acme{char}"
    (tmp_path / "deal.yaml").write_text(yaml.safe_dump(deal, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ClausewrightError) as exc:
        pipeline.generate(tmp_path / "deal.yaml", None, sources=mini_sources)
    assert f"(U+{ord(char):04X}) at position 5, which a Word document cannot hold (XML 1.0 does not allow it); remove it" in str(exc.value)
    assert "buyer.name: contains" in str(exc.value)


# --- the first byte of a CSV file that is not UTF-8 --------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_a_cp1252_csv_is_refused_at_the_line_and_column_of_its_first_bad_byte(bom, tmp_path):
    header = "supplier_id,supplier.name,supplier.address\n"
    good = "".join(f"S{n},Công ty Số {n} – “Sao Mai”,{'Đường ' * 60}{n}\n" for n in range(2, 29))
    bad = b"S29,Soci" + "été Générale".encode("cp1252") + b",Paris\n"
    data = (codecs.BOM_UTF8 if bom else b"") + (header + good).encode("utf-8") + bad + "S30,Công ty,Hà Nội\n".encode()
    assert len(data) > 16_000  # beyond the first buffer a text reader decodes
    (tmp_path / "suppliers.csv").write_bytes(data)
    (tmp_path / "defaults.yaml").write_text("agreement:\n  date: 2026-12-01\nbuyer:\n  name: Acme\n  signatory: {name: Ann}\ncommercial:\n  price: 1000\n", encoding="utf-8")
    result = bulk("validate", str(tmp_path / "suppliers.csv"), "--defaults", str(tmp_path / "defaults.yaml"))
    assert result.exit_code == PreflightError.exit_code and "Traceback" not in result.output, result.output
    byte = data.index(b"\xe9") + 1
    assert f"not UTF-8 text at line 29, column 9 (byte {byte:,}, 0xE9)" in result.output, result.output
    assert 'save as "CSV UTF-8"' in result.output


def test_a_hostile_floor_condition_is_a_finding_of_library_check(tmp_path):
    copy = mini_copy(tmp_path)
    copy.edit("library/clauses/confidentiality.clause", "  supplier: Fixed years for everything.\n",
              "  supplier: Fixed years for everything.\nfloors:\n  - id: hostile\n    rule: never\n    requires: 'x'\n"
              "    when: \"'x' | center(999999999)\"\n")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["library", "check", "--library", str(copy.library), "--jurisdictions", str(copy.jurisdictions)])
    assert time.monotonic() - started < 60
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output
    assert "the condition of floor 'hostile' cannot be evaluated" in result.output, result.output
