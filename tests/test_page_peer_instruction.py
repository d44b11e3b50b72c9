"""Peer Instruction as it is taught (issue 34), under AppTest: the vote, Show the answers (the
spread on every student's page, no verdict, no true answer), Vote again before the answer (the
student's page says round 2), Reveal the answer; the class's numbers downloaded; the join link
a phone reaches; an ended class told until dismissed; nicknames in the visitor's language."""

import base64
import csv
import io
import re

import pytest
from streamlit.testing.v1 import AppTest
from test_page_class_trust import charts_saying, verdicts
from test_page_teach import ROOT, button, elbow_prompt, join, lock, open_class, open_page, texts

from nnviz.classroom import codes
from nnviz.classroom.store import is_right
from ui import classroom


@pytest.fixture(autouse=True)
def class_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_CLASS_DIR", str(tmp_path))
    monkeypatch.delenv("NNVIZ_PUBLIC_URL", raising=False)
    classroom._open_store.clear()
    yield tmp_path
    classroom._open_store.clear()


def the_prompt(member) -> str:
    (prompt,) = classroom.store().prompts(member.code, member.key)
    return prompt


def test_show_the_answers_gives_students_the_spread_and_no_verdict():
    teacher, member = open_class()
    ana, ben = join(member.code, "Ana"), join(member.code, "Ben")
    lock(ana, 100)
    teacher.run()
    button(teacher, "Show the answers").click().run()
    assert not teacher.exception, [e.value for e in teacher.exception]
    assert "shown to the class, without the answer" in texts(teacher)
    for student in (ana, ben):
        student.run()
        spread = charts_saying(student, "1 student answered: 1 said 100.")
        assert spread, [c.proto.alt for c in student.get("plotly_chart")]
        assert "The answer is" not in spread[0].proto.alt  # the spread, never the true answer
        assert not verdicts(student) and "The answer:" not in texts(student)
        assert not charts_saying(student, "The error falls")  # the chart the question is about still waits
    assert "You said 100." in charts_saying(ana, "1 student answered")[0].proto.alt
    assert "talk them over with your neighbours" in texts(ana)
    assert "This round is closed" in texts(ben)  # Ben did not vote before the spread was shown

    teacher.toggle[0].set_value(True).run()  # the projector: the spread, still no answer
    assert "Talk it over with your neighbours" in texts(teacher) and "The answer:" not in texts(teacher)
    assert len(teacher.get("plotly_chart")) == 1 and "The answer is" not in teacher.get("plotly_chart")[0].proto.alt


def downloads(monkeypatch) -> dict[str, str]:
    """What each download button on a page would hand over, by its key (AppTest keeps no file to read)."""
    import streamlit as st

    seen: dict[str, str] = {}
    real = st.download_button

    def spy(label, data, *args, **kwargs):
        seen[kwargs.get("key") or label] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return seen


def test_vote_again_before_the_answer_opens_round_2_and_the_download_keeps_both_rounds(monkeypatch):
    sent = downloads(monkeypatch)
    teacher, member = open_class()
    ana, ben = join(member.code, "Ana"), join(member.code, "Ben")
    lock(ana, 100)
    lock(ben, 1000)
    teacher.run()
    assert not button(teacher, "Vote again").disabled  # before the answer: Peer Instruction's second vote
    button(teacher, "Show the answers").click().run()
    button(teacher, "Vote again").click().run()
    prompt = the_prompt(member)
    lesson = classroom.store().lesson(member.code)
    assert lesson.round_of(prompt) == 2 and not lesson.is_revealed(prompt, 1)

    ana.run()
    assert "Round 2: you can change your answer." in texts(ana)
    assert not elbow_prompt(ana).disabled and not verdicts(ana)
    lock(ana, 1000)  # Ana changes her mind; Ben keeps his
    assert "went to the class" in texts(ana) and not verdicts(ana)
    ben.run()
    lock(ben, 1000)

    teacher.run()
    truth = classroom.store().tally(member.code, prompt, key=member.key).truth
    right_before = sum(is_right(a, truth) for a in ("100", "1000"))
    assert "round 2" in texts(teacher) and "1 changed their mind since round 1: 1 from 100 to 1000" in texts(teacher)
    assert any(e.label == "Who changed their mind (only you see it)" for e in teacher.expander)
    assert "Ana: 100 → 1000" in [t.value for t in teacher.text]
    assert f"{right_before} of 2 right" in texts(teacher) and f"{2 * is_right('1000', truth)} of 2 right" in texts(
        teacher
    )  # the share right in each round, side by side
    teacher.toggle[0].set_value(True).run()
    assert "Ana" not in texts(teacher) and not teacher.text  # never a nickname on the projector
    teacher.toggle[0].set_value(False).run()

    button(teacher, "Reveal the answer").click().run()
    ana.run()
    assert verdicts(ana)

    teacher.run()
    header, *rows = list(csv.reader(io.StringIO(sent["teach.download"])))
    assert header == ["question", "run settings", "round", "nickname", "answer", "right or wrong", "time"]
    word = {True: "right", False: "wrong"}
    assert [row[2:6] for row in rows] == [
        ["1", "Ana", "100", word[is_right("100", truth)]],
        ["1", "Ben", "1000", word[is_right("1000", truth)]],
        ["2", "Ana", "1000", word[is_right("1000", truth)]],
        ["2", "Ben", "1000", word[is_right("1000", truth)]],
    ]
    assert all(row[0].startswith("The 11-line network: over the first") for row in rows)
    assert {row[1] for row in rows} == {"the page's defaults"} and all(len(row[6]) == 19 for row in rows)
    summary = teacher.dataframe[0].value
    assert summary.iloc[0].tolist()[1:] == [
        2,
        right_before,
        2 * is_right("1000", truth),
        int(not is_right("100", truth) and is_right("1000", truth)),
        int(is_right("100", truth) and not is_right("1000", truth)),
    ]

    button(teacher, "End class").click().run()  # End class offers the download first
    assert "**End the class?**" in texts(teacher) and "teach.ending.download" in sent
    assert sent["teach.ending.download"] == sent["teach.download"]
    assert classroom.store().lesson(member.code)  # not ended yet
    button(teacher, "End the class now").click().run()
    assert classroom.MEMBER not in teacher.session_state


def test_an_ended_class_is_told_on_every_page_until_dismissed():
    teacher, member = open_class()
    ana = join(member.code, "Ana")
    classroom.store().end(member.code, member.key)
    ana.run()
    assert not ana.exception, [e.value for e in ana.exception]
    told = "The class has ended. Thank you for taking part; you go on alone."
    assert [i.value for i in ana.info if i.value == told]
    assert not [b for b in ana.button if b.label == "Leave the class"]  # the class's controls go
    ana.switch_page("app_pages/backprop.py").run()
    assert [i.value for i in ana.info if i.value == told]  # still said, on another page
    button(ana, "Dismiss").click().run()
    assert not [i.value for i in ana.info if i.value == told]
    ana.run()
    assert not [i.value for i in ana.info if i.value == told]


def join_link(teacher) -> str:
    return next(c.value for c in teacher.code if "?class=" in c.value)


def test_nnviz_public_url_sets_the_join_link_and_the_qr_code(monkeypatch):
    import segno

    monkeypatch.setenv("NNVIZ_PUBLIC_URL", "https://nnviz.example.org/")
    teacher, member = open_class()
    link = f"https://nnviz.example.org/?class={member.code}"
    assert join_link(teacher) == link
    qr = re.search(r' d="([^"]+)"', segno.make(link, error="m").svg_inline(scale=6, border=2))
    shown = [base64.b64decode(i.proto.imgs[0].url.split(",", 1)[1]).decode() for i in teacher.get("image")]
    assert qr and any(qr.group(1) in svg for svg in shown)  # the QR code carries the public address
    assert not [w for w in teacher.warning if "localhost" in w.value]


def test_a_localhost_teacher_gets_the_network_address_or_the_warning(monkeypatch):
    from streamlit import net_util

    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "192.168.1.23")
    teacher = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    teacher.context = {"url": "http://localhost:8501/teach"}  # the address the README tells a teacher to open
    teacher.switch_page("app_pages/teach.py").run()
    button(teacher, "Open a class").click().run()
    member = teacher.session_state[classroom.MEMBER]
    assert join_link(teacher) == f"http://192.168.1.23:8501/?class={member.code}"
    assert "its network address, as Streamlit reports it" in texts(teacher)

    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "127.0.0.1")  # no network at all
    teacher.run()
    assert any("Phones cannot reach localhost" in w.value for w in teacher.warning)


def test_the_join_address_rules():
    base = classroom.join_base
    assert base("http://localhost:8501", "https://class.example.org/nnviz/", "10.0.0.5") == (
        "https://class.example.org/nnviz",
        None,
    )
    assert base("http://127.0.0.1:8501/app", None, "10.0.0.5") == ("http://10.0.0.5:8501/app", "network")
    assert base("http://localhost:8501", None, None) == ("http://localhost:8501", "local")
    assert base("https://school.example.org", None, "10.0.0.5") == ("https://school.example.org", None)


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_a_student_is_offered_a_nickname_in_their_language(lang):
    student = open_page("walkthrough", {"class": "ACD-EFG", "lang": lang})
    offered = student.text_input[0].value
    adjectives, animals, adjective_first = codes.WORDS[lang]
    first, second = offered.split(" ")
    assert (first, second) in (
        {(a, b) for a in adjectives for b in animals}
        if adjective_first
        else {(b, a) for a in adjectives for b in animals}
    )
