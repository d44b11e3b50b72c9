"""The catalogues (nnviz/locale) and the language helpers (nnviz/i18n.py).

- The catalogue test: every language has every message of the template, with the same
  placeholders and every plural form, none empty, none left as the English (but for a short
  list of real cognates and formulas).
- The extraction test: Babel's extractor run over the code finds exactly the template's
  messages (no sentence shown outside the catalogue, none left over), and the checker finds no
  Streamlit call given a literal.
- Numbers in the reader's notation with the article's digits; a language chosen from a tag or
  a browser's header; a ``Msg`` said in each language; the CLI's words follow ``--lang``.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from nnviz import cli, datasets
from nnviz.engine.training import TrainingConfig, train
from nnviz.i18n import DEFAULT, ENGLISH, LANGUAGES, M_, Msg, from_accept_language, language, said, supported
from nnviz.settings import MAX_ITERATIONS, WALKTHROUGH

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "nnviz" / "locale"
TRANSLATED = [code for code in LANGUAGES if code != DEFAULT]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# Real cognates and formulas: the same in the language as in English, on purpose.
SAME_AS_ENGLISH = {
    "de": {
        "2 · Training",
        "Iteration #{k}",
        "Iteration k",
        "delta = (ŷ − y) / m",
        "{file}: {exc}",
        "½ Σ (y − ŷ)²",
        "{nickname}: {before} → {after}",
        "ReLU",
        "tanh",
        "XOR: y = x1 xor x2",
    },
    "fr": {"delta = (ŷ − y) / m", "page", "pause", "question", "½ Σ (y − ŷ)²", "ReLU", "tanh", "activation"},
    "es": {
        "delta = (ŷ − y) / m",
        "error y − ŷ",
        "{file}: {exc}",
        "½ Σ (y − ŷ)²",
        "{nickname}: {before} → {after}",
        "ReLU",
        "tanh",
        "XOR: y = x1 xor x2",
    },
}
KEYWORDS = {"_": None, "N_": None, "M_": None, "n_": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}


def template():
    return read_po((LOCALE / "nnviz.pot").open("rb"))


def catalogue(code):
    return read_po((LOCALE / code / "LC_MESSAGES" / "nnviz.po").open("rb"), locale=code)


def messages(cat):
    """Each message by its English and its context: one word in two roles is two messages."""
    return {(m.id, m.context): m for m in cat if m.id}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_language_has_every_message_with_its_placeholders(code):
    english, translated = messages(template()), messages(catalogue(code))
    assert set(translated) == set(english), "run: pybabel update (docs/TRANSLATING.md)"
    for (msgid, _context), message in translated.items():
        assert not message.fuzzy, msgid
        if isinstance(msgid, str):
            assert message.string, f"{code}: empty translation of {msgid!r}"
            assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(msgid)), (code, msgid)
            if message.string == msgid:
                assert msgid in SAME_AS_ENGLISH[code], f"{code}: {msgid!r} is left in English"
        else:
            forms = message.string
            assert len(forms) == translated_plurals(code) and all(forms), (code, msgid)
            for form in forms:  # ``{n}`` may be left out of a singular ("one minute"), nothing else
                assert set(PLACEHOLDER.findall(form)) - {"n"} == set(PLACEHOLDER.findall(msgid[1])) - {"n"}, msgid


def translated_plurals(code):
    return catalogue(code).num_plurals


def test_the_extractor_finds_exactly_the_templates_messages():
    """Every sentence the code says goes through the catalogue, and the template is up to date."""
    method_map = [("**.py", "python")]
    found = set()
    for folder in ("nnviz", "ui", "app_pages"):
        for _name, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            found.add((message, context))
    found |= {(m, x) for *_, m, _c, x in extract_from_dir(ROOT, [("app.py", "python")], keywords=KEYWORDS)}
    assert found == set(messages(template())), "run: pybabel extract (docs/TRANSLATING.md)"


def test_no_streamlit_call_is_given_a_literal():
    result = subprocess.run([sys.executable, "scripts/check_i18n.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_the_checker_finds_a_literal_label(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    import check_i18n

    page = tmp_path / "page.py"
    page.write_text('import streamlit as st\nst.button("Go")\nst.caption(f"{n} rows")\nst.title(_("Fine"))\n')
    monkeypatch.setattr(check_i18n, "ROOT", tmp_path)
    assert [p.split(": ", 1)[1] for p in check_i18n.problems(page)] == ["button('Go')", "caption(f'{n} rows')"]


def test_the_checker_finds_words_glued_on_with_plus_percent_or_format(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    import check_i18n

    page = tmp_path / "page.py"
    page.write_text(
        'import streamlit as st\nst.caption(_("Fine") + " more words")\nst.info("%d rows" % n)\n'
        'st.warning("{n} rows".format(n=n))\nst.caption(_("Fine") + " · " + _("also fine"))\n'
    )
    monkeypatch.setattr(check_i18n, "ROOT", tmp_path)
    found = [p.split(": ", 1)[1] for p in check_i18n.problems(page)]
    assert found == ["caption(_('Fine') + ' more words')", "info('%d rows' % n)", "warning('{n} rows'.format(n=n))"]


def test_the_engine_words_pages_show_are_in_the_catalogue():
    from nnviz.engine.elbow import METHOD
    from nnviz.engine.network import RULES
    from ui.engine_words import ELBOW_WORDS, RULE_WORDS
    from ui.network_controls import RULE_TITLES

    for rule in RULES.values():
        assert {rule.objective_name, rule.delta_heading, rule.delta_story} <= set(RULE_WORDS)
        assert RULE_TITLES[rule.name] == rule.title
    assert METHOD in ELBOW_WORDS


# --- numbers and languages ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def article():
    data = datasets.trask()
    return train(data.X, data.y, TrainingConfig())


@pytest.mark.parametrize(
    "code,error_10k,error_end,weight,iterations,share",
    [
        ("en", "0.03182", "0.00995", "12.0087", "100,000", "25%"),
        ("de", "0,03182", "0,00995", "12,0087", "100.000", "25\xa0%"),
        ("fr", "0,03182", "0,00995", "12,0087", "100\u202f000", "25\xa0%"),
        ("es", "0,03182", "0,00995", "12,0087", "100.000", "25\xa0%"),
    ],
)
def test_the_articles_numbers_in_each_notation_keep_their_digits(
    article, code, error_10k, error_end, weight, iterations, share
):
    lang = language(code)
    assert lang.decimal(article.abs_error[10_000], 5) == error_10k
    assert lang.decimal(article.abs_error[100_000], 5) == error_end
    assert lang.decimal(article.final_params.weights[0][0, 0], 4) == weight
    assert lang.integer(100_000) == iterations
    assert lang.percent(0.25) == share


def test_signs_are_the_engines_in_english_and_real_minus_signs_elsewhere():
    assert ENGLISH.signed(-0.5, 2) == "-0.50" and ENGLISH.change(-0.5, 1) == "−0.5" and ENGLISH.change(0.04, 1) == "0.0"
    assert language("de").signed(-0.5, 2) == "−0,50" and language("de").change(3.21, 1) == "+3,2"
    assert language("fr").listed(["a", "b", "c"]) == "a, b et c" and ENGLISH.listed(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize(
    "tag,code",
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("fr_CA.UTF-8", "fr"),
        ("es-419", "es"),
        ("en-GB", "en"),
        ("nl", None),
        ("C.UTF-8", None),
        ("", None),
        (None, None),
        ("<script>", None),
        ("x" * 500, None),
    ],
)
def test_a_locale_tag_picks_a_shipped_language(tag, code):
    assert supported(tag) == code


def test_the_browsers_header_is_read_by_its_weights():
    assert from_accept_language("nl-NL,nl;q=0.9,fr;q=0.8,de;q=0.7") == "fr"
    assert from_accept_language("de;q=0.5, es;q=0.9") == "es"
    assert from_accept_language("ja,zh") is None and from_accept_language(None) is None


def test_a_msg_is_its_english_text_and_renders_in_each_language():
    message = M_("{file}: the file is empty", file="a.csv")
    assert message == "a.csv: the file is empty" and json.dumps({message: 1}) == '{"a.csv: the file is empty": 1}'
    assert said(message, language("de")) == "a.csv: die Datei ist leer"
    assert said(message, language("es")) == "a.csv: el archivo está vacío"
    nested = M_("left out: {reason}", reason=M_("{file}: the file is empty", file="x.csv"))
    assert said(nested, language("de")) == "ausgelassen: x.csv: die Datei ist leer"
    assert (
        Msg.from_json(M_("will {weight} go up or down at iteration {k}?", weight="w", k=1000).as_json()).render(
            language("fr")
        )
        == "w va-t-il monter ou baisser à l'itération 1\u202f000\u202f?"
    )


def test_a_lesson_warning_and_a_link_warning_in_german():
    from nnviz import lesson

    _, warnings = lesson.parse("pages=nope", language("de"))
    assert warnings[0] == "Die Seite „nope“ der Lektion ist keine Seite von nnviz; sie wird weggelassen."
    _, warning = WALKTHROUGH["iterations"].parse("iterations", str(MAX_ITERATIONS * 5), language("de"))
    assert warning == "Der Wert 5.000.000 für Anzahl der Iterationen im Link liegt über der Grenze; es gilt 1.000.000."


# --- the CLI --------------------------------------------------------------------------------------
def run_cli(capsys, *argv, env=None, monkeypatch=None):
    if monkeypatch is not None:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_cli_is_english_by_default_and_follows_lang_or_the_environment(capsys, monkeypatch):
    _, english, _ = run_cli(capsys, "trace", "--at", "0", "--iterations", "10", monkeypatch=monkeypatch)
    assert "weights into the output (before this update):" in english
    _, german, _ = run_cli(capsys, "trace", "--at", "0", "--iterations", "10", "--lang", "de", monkeypatch=monkeypatch)
    assert "Gewichte in die Ausgabe (vor dieser Aktualisierung):" in german
    assert "[[ 0.39293837]" in german or "0.39293837" in german  # the arrays keep the article's notation
    _, spanish, _ = run_cli(
        capsys, "trace", "--at", "0", "--iterations", "10", env={"LANG": "es_ES.UTF-8"}, monkeypatch=monkeypatch
    )
    assert "pesos hacia la salida (antes de esta actualización):" in spanish
    _, plain, _ = run_cli(
        capsys, "trace", "--at", "0", "--iterations", "10", env={"LANG": "C.UTF-8"}, monkeypatch=monkeypatch
    )
    assert plain == english


def test_the_cli_json_keys_never_change_and_errors_follow_the_language(capsys, monkeypatch):
    _, english, _ = run_cli(capsys, "trace", "--at", "0", "--iterations", "10", "--json", monkeypatch=monkeypatch)
    _, german, _ = run_cli(
        capsys, "trace", "--at", "0", "--iterations", "10", "--json", "--lang", "de", monkeypatch=monkeypatch
    )
    assert json.loads(english) == json.loads(german)
    code, _, error = run_cli(capsys, "train", "--csv", "/nonexistent.csv", "--lang", "fr", monkeypatch=monkeypatch)
    assert code == 2 and error.startswith("error: /nonexistent.csv\u202f: impossible de l'ouvrir")
    code, _, error = run_cli(capsys, "trace", "--lang", "xx", monkeypatch=monkeypatch)
    assert code == 2 and "no language 'xx'" in error


def test_french_punctuation_is_held_to_its_word_by_a_narrow_no_break_space():
    """French sets a space before : ; ? ! and inside « »; a plain space lets the sign wrap onto the next line."""
    wrong = []
    for message in catalogue("fr"):
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            if message.id and re.search(r"[ \u00a0][:;?!]|« |«\u00a0| »|\u00a0»", text):
                wrong.append(text)
            if message.id and re.search(r"\w[;?!]|«\w|\w»", text):  # a sign with no space at all
                wrong.append(text)
    assert not wrong, wrong[:5]
