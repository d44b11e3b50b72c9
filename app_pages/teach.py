"""Teach a class: open a class, put its code and QR code on the projector, pin the lesson's
settings, bring everyone to a page, and run Peer Instruction on each question: the vote, *Show
the answers* (the class's spread, no answer), the discussion, *Vote again*, then *Reveal the
answer*.  The projector view is a page of its own, made to be read from the back of a room;
the class's answers can be downloaded before End class deletes them."""

import csv
import io
import os
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import segno
import streamlit as st
from streamlit import net_util

from nnviz import lesson as lessons
from nnviz.classroom import codes, report
from nnviz.classroom.store import LESSON_ENTRY, ClassError, Record, StoreUnavailable, is_right
from nnviz.settings import CLASS_POLL_SECONDS, run_digest, teacher_password, to_query
from nnviz.views import describe, figures
from ui import classroom, lesson_builder, url_state
from ui.keep import keep
from ui.language import _, language, n_
from ui.language import problem as say_problem
from ui.text import plain
from ui.visitor import keep_browser_id, visitor

# No primary (filled) buttons: the dark theme's sky blue under white text is 2.3:1, below WCAG AA.
lang = language()
store = classroom.store
PROJECTOR = "teach.projector"
RUNS = "teach.runs"  # {run digest: its settings as the teacher reads them}: every pin the console saw

# The projector view: no sidebar, no header, the whole width; the code about a sixth of the screen's
# height, the QR code two fifths, the join address and the counts large (vh: a share of the height).
PROJECTOR_STYLE = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stExpandSidebarButton'],
[data-testid='stHeader'], [data-testid='stToolbar'] { display: none !important; }
[data-testid='stMainBlockContainer'] { padding: 2vh 3vw !important; max-width: 100% !important; }
.st-key-projector-code p { font-size: 16vh; line-height: 1.1; font-weight: 800; margin: 0; letter-spacing: 0.04em;
  white-space: nowrap; }
.st-key-projector-join p { font-size: 4.5vh; line-height: 1.25; margin: 0; overflow-wrap: anywhere; }
.st-key-projector-counts p { font-size: 4.5vh; line-height: 1.25; margin: 0; }
.st-key-projector-qr img { height: 42vh !important; width: auto !important; max-width: 100%; }
.st-key-projector-cards p, .st-key-projector-cards li { font-size: 3.2vh; line-height: 1.3; }
.st-key-projector-cards h3 { font-size: 4vh; }
.st-key-projector-ended p { font-size: 7vh; text-align: center; margin-top: 25vh; }
</style>"""


def open_class() -> None:
    try:  # a public server's share per visitor and per network, and its password when it has one
        store().check_teacher_password(st.session_state.get("teach.password"), visitor())
        opened = store().open_class(visitor())
    except (ClassError, StoreUnavailable) as problem:
        st.session_state["teach.problem"] = say_problem(problem)
        return
    classroom.enter_as_teacher(opened.code, opened.teacher_key)


def act(action: str | Callable[..., object], *args: object) -> None:
    """A teacher's button: the store's ``action`` (a method's name, or a function), or its problem
    in one line on the console (a class ended from another tab, a store busy for a moment); the page stays."""
    try:
        (getattr(classroom.store(), action) if isinstance(action, str) else action)(*args)
    except (ClassError, StoreUnavailable) as problem:
        st.session_state["teach.problem"] = say_problem(problem)


def give_the_lesson(code: str, key: str, handout: lessons.Lesson | None) -> None:
    """Give the class the lesson (or take it back): every student's page follows it, and each of
    its pages is pinned with the settings the lesson sets, on top of the teacher's own pins (a
    page whose settings the lesson leaves free keeps the teacher's pin as it was)."""
    try:
        if handout is None:
            store().pin(code, key, LESSON_ENTRY, {})
            return
        pinned = store().lesson(code).pinned
        store().pin(code, key, LESSON_ENTRY, {"text": lessons.encode(handout)})
        for page in handout.pages:
            sets = handout.starting(page)  # the query leaves out the values that are the defaults
            mine = {name: value for name, value in pinned.get(page, {}).items() if name not in sets}
            store().pin(code, key, page, {**mine, **handout.query(page)})
    except (ClassError, StoreUnavailable) as problem:
        st.session_state["teach.problem"] = say_problem(problem)


def lesson_note(given: lessons.Lesson | None, page) -> str:
    """What the class's lesson does on ``page``, for the teacher."""
    if given is None or page.url_path not in given.pages:
        return _("This page is not in the class's lesson: its students cannot open it.")
    fixed = [_(page.spec[name].label) for name in given.fixed(page.url_path) if name != "predict"]
    if not fixed:
        return _("The class's lesson fixes none of them.")
    return n_(
        "The class's lesson fixes {n} of them: {settings}.",
        "The class's lesson fixes {n} of them: {settings}.",
        len(fixed),
        settings=", ".join(fixed),
    )


def base_url() -> str:
    """The app's address as the teacher's browser reaches it (behind a proxy too)."""
    url = str(st.context.url or "").split("?")[0].rstrip("/")
    return url[: -len("/teach")] if url.endswith("/teach") else url


def join_address() -> tuple[str, str | None]:
    """Where the students join (see ``classroom.join_base``): ``NNVIZ_PUBLIC_URL``, the teacher's
    own address, or, for a teacher on ``localhost``, the network address Streamlit reports."""
    return classroom.join_base(base_url(), os.environ.get("NNVIZ_PUBLIC_URL"), net_util.get_internal_ip())


def class_page(lesson, given: lessons.Lesson | None):
    """The page the class is on: the one the teacher brought it to; with a lesson given and no
    page of the lesson chosen yet, the lesson's first page (where its students start)."""
    where = classroom.PAGES.get(lesson.page or "")
    if given is not None and given.pages and (where is None or where.url_path not in given.pages):
        return classroom.PAGES.get(given.pages[0])
    return where


def given_lesson(lesson) -> lessons.Lesson | None:
    text = lesson.pinned.get(LESSON_ENTRY, {}).get("text")
    return lessons.parse(text)[0] if text else None


def controls(lesson) -> None:
    """Where the class goes, with which settings, and when it is over."""
    pages = list(classroom.PAGES.values())
    here = class_page(lesson, given_lesson(lesson))
    chosen = st.selectbox(
        _("The class's page"),
        pages,
        format_func=lambda p: lang._(p.title),
        key="teach.page",
        index=pages.index(here) if here in pages else 0,
    )
    pinned = lesson.pinned.get(chosen.url_path)
    # The settings the teacher left that page with (Streamlit drops a left page's widgets; ui.keep has them).
    mine = to_query(chosen.spec, url_state.left_with(chosen.spec, chosen.key))  # typed the teacher's way
    st.caption(
        _(
            "Settings every student gets there: {settings}",
            settings=", ".join(f"{k}={plain(v)}" for k, v in sorted(pinned.items())) or _("the page's defaults"),
        )
        if pinned is not None
        else _("No settings pinned for this page: students get its defaults.")
    )
    if (given := given_lesson(lesson)) is not None:
        st.caption(lesson_note(given, chosen))
    pin, bring, explore, end = st.columns(4)
    try:
        if pin.button(_("Pin my settings for it"), help=_("The settings you left that page with, from your own visit")):
            store().pin(code, key, chosen.url_path, mine)
            st.rerun()
        if bring.button(_("Bring everyone here"), help=_("Every following student goes to this page")):
            store().bring_here(code, key, chosen.url_path)
        if explore.button(_("Let them explore"), help=_("Students may go where they like")):
            store().let_explore(code, key)
        end.button(
            _("End class"),
            help=_("The class and every answer in it are deleted; you can download them first"),
            on_click=lambda: st.session_state.update({"teach.ending": True}),
        )
    except (ClassError, StoreUnavailable) as problem:
        st.error(plain(say_problem(problem)), icon="🚫")
    st.page_link(f"app_pages/{chosen.url_path}.py", label=_("Open {page} yourself", page=_(chosen.title)), icon="➡️")
    if st.session_state.get("teach.ending"):
        ending()


def ending() -> None:
    """End class, asked once more: the answers go with the class, so the download comes first."""
    with st.container(border=True):
        st.markdown(
            _(
                "**End the class?** Every answer in it is deleted with it. Download them first to keep "
                "the class's numbers."
            )
        )
        download, end, cancel = st.columns(3)
        try:
            records = store().record(code, key)
            with download:
                download_answers(records, "teach.ending.download")
            if end.button(_("End the class now"), key="teach.ending.end"):
                store().end(code, key)
                st.session_state.pop("teach.ending", None)
                classroom.leave_as_teacher()
                st.rerun()
        except (ClassError, StoreUnavailable) as problem:
            st.error(plain(say_problem(problem)), icon="🚫")
        cancel.button(_("Cancel"), key="teach.ending.cancel", on_click=lambda: st.session_state.pop("teach.ending"))


def reveal_all(prompts: list[str]) -> None:
    for prompt in prompts:
        store().reveal(code, key, prompt)


def show_all(prompts: list[str]) -> None:
    for prompt in prompts:
        store().show(code, key, prompt)


def share_line(tally) -> str:
    """How many of a round's answers are right, and their share (the number Peer Instruction watches)."""
    right = tally.right
    if right is None or not tally.answered:
        return ""
    return _(
        "{right} of {n} right ({share})",
        right=right,
        n=tally.answered,
        share=lang.percent(report.share(right, tally.answered) or 0),
    )


def round_chart(tally, where: str, truth: str | None) -> None:
    if not tally.counts:
        st.caption(_("Nobody in the class has answered yet."))
        return
    st.plotly_chart(
        figures.class_answers_figure(tally.counts, _("Round {n}", n=tally.round), truth=truth, lang=lang),
        key=f"teach.{where}.{tally.prompt}.{tally.round}",
        alt=describe.class_answers(tally.counts, truth=truth, lang=lang),
    )


def prompt_card(lesson, prompt: str) -> None:
    """One question on the teacher's console: its rounds side by side with the share right in
    each (the true answer is the teacher's alone until revealed), who changed their mind, and
    the Peer Instruction buttons."""
    round = lesson.round_of(prompt)
    tally = store().tally(code, prompt, round, key=key)
    revealed, shown = lesson.is_revealed(prompt, round), lesson.is_shown(prompt, round)
    with st.container(border=True):
        st.markdown(
            f"**{plain(classroom.prompt_text(prompt, lang))}**" + (" · " + _("round {n}", n=round) if round > 1 else "")
        )
        state = (
            _("revealed: the round is closed")
            if revealed
            else _("shown to the class, without the answer: the round is closed")
            if shown
            else ""
        )
        st.caption(
            n_(
                "{answered} of {n} student answered",
                "{answered} of {n} students answered",
                tally.joined,
                answered=tally.answered,
            )
            + (" · " + state if state else "")
        )
        rounds = [store().tally(code, prompt, round - 1, key=key), tally] if round > 1 else [tally]
        for column, one in zip(st.columns(len(rounds)), rounds):
            with column:
                if len(rounds) > 1:
                    st.markdown(
                        f"**{_('Round {n}', n=one.round)}**" + (f" · {line}" if (line := share_line(one)) else "")
                    )
                elif line := share_line(one):
                    st.caption(line)
                round_chart(one, "console", one.truth)
        if tally.truth is not None:
            answer = plain(_(tally.truth))
            st.markdown(
                _("**The answer:** {answer}", answer=answer)
                if revealed
                else _("**The answer:** {answer} (only you see it)", answer=answer)
            )
        if round > 1:
            changed_minds(prompt, round)
        show, again, reveal = st.columns(3)
        show.button(
            _("Show the answers"),
            key=f"teach.show.{prompt}.{round}",
            disabled=shown,
            help=_("The class's spread on the projector and every student's page, without the answer"),
            on_click=act,
            args=("show", code, key, prompt),
        )
        again.button(
            _("Vote again"),
            key=f"teach.again.{prompt}.{round}",
            disabled=not tally.answered,
            help=_("A new round of the same question, after the class has discussed it"),
            on_click=act,
            args=("ask_again", code, key, prompt),
        )
        reveal.button(
            _("Reveal the answer"),
            key=f"teach.reveal.{prompt}.{round}",
            disabled=revealed,
            help=_("The true answer and each student's verdict; the round closes"),
            on_click=act,
            args=("reveal", code, key, prompt),
        )


def changed_minds(prompt: str, round: int) -> None:
    """Who changed their answer since the round before: counts, and the nicknames for the teacher's eyes only."""
    moved = store().changes(code, key, prompt, round - 1, round)
    changed = sum(n for (a, b), n in moved.items() if a != b)
    moves = ", ".join(
        _("{n} from {before} to {after}", n=n, before=plain(_(a)), after=plain(_(b)))
        for (a, b), n in moved.items()
        if a != b
    )
    st.caption(
        _("{n} changed their mind since round {round}: {moves}", n=changed, round=round - 1, moves=moves)
        if changed
        else _("{n} changed their mind since round {round}", n=changed, round=round - 1)
    )
    if changed:
        with st.expander(_("Who changed their mind (only you see it)")):
            for move in report.moves(store().record(code, key), prompt, round - 1, round):
                st.text(
                    _(
                        "{nickname}: {before} → {after}",
                        nickname=move.nickname,
                        before=_(move.before),
                        after=_(move.after),
                    )
                )


def on_screen(lesson, prompts: list[str]) -> tuple[list[str], list[str]]:
    """The questions about the run on the students' screens (the class's page as pinned now), and
    those about the page's earlier pins: each run has its own true answer and rounds."""
    where = class_page(lesson, given_lesson(lesson))
    if where is None:
        return prompts, []
    run = run_digest(where.spec, lesson.pinned.get(where.url_path, {}))
    on_page = [p for p in prompts if classroom.prompt_run(p)[0] == where.title]
    return [p for p in on_page if classroom.prompt_run(p)[1] == run], [
        p for p in on_page if classroom.prompt_run(p)[1] != run
    ]


def remove_student(names: list[str]) -> None:
    """Take a nickname out of the class (a stranger, or a student counted twice)."""
    who, remove = st.columns([3, 1], vertical_alignment="bottom")
    gone = who.selectbox(
        _("Remove a student"), names, index=None, key="teach.remove.who", placeholder=_("Choose a nickname")
    )
    remove.button(
        _("Remove"),
        key="teach.remove",
        disabled=gone is None,
        on_click=removed,
        args=(gone or "",),
        help=_("They leave the class, with their answers to questions not yet revealed"),
    )
    if failed := st.session_state.pop("teach.remove.problem", None):
        st.error(plain(failed), icon="🚫")


def removed(nickname: str) -> None:
    try:
        store().remove(code, key, nickname)
    except (ClassError, StoreUnavailable) as problem:
        st.session_state["teach.remove.problem"] = say_problem(problem)
    st.session_state.pop("teach.remove.who", None)


# --- the class's numbers ------------------------------------------------------------------------------
def remember_runs(lesson) -> None:
    """Each pinned run's settings by its digest, as the console sees them (a re-pin keeps the earlier ones)."""
    runs = st.session_state.setdefault(RUNS, {})
    for page in classroom.PAGES.values():
        pinned = lesson.pinned.get(page.url_path, {})
        runs[run_digest(page.spec, pinned)] = ", ".join(f"{k}={v}" for k, v in sorted(pinned.items()))


def run_settings(prompt: str) -> str:
    return st.session_state.get(RUNS, {}).get(classroom.prompt_run(prompt)[1]) or _("the page's defaults")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a nickname such as ``=HYPERLINK(…)`` is never run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def when(at: float) -> str:
    """An answer's time in the teacher's own time zone (their browser's), else UTC."""
    try:
        zone = ZoneInfo(str(st.context.timezone)) if st.context.timezone else UTC
    except (KeyError, ValueError):
        zone = UTC
    return datetime.fromtimestamp(at, zone).strftime("%Y-%m-%d %H:%M:%S")


def answers_csv(records: list[Record]) -> str:
    """The class's answers, one row each: the question in the teacher's language, its run's
    settings, the round, the nickname, the answer, right or wrong (once known), the time."""
    truths = {p: store().tally(code, p, 1, key=key).truth for p in dict.fromkeys(r.prompt for r in records)}
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(
        [_("question"), _("run settings"), _("round"), _("nickname"), _("answer"), _("right or wrong"), _("time")]
    )
    for r in records:
        truth = truths.get(r.prompt)
        verdict = "" if truth is None else _("right") if is_right(r.answer, truth) else _("wrong")
        rows.writerow(
            [
                spreadsheet_safe(cell)
                for cell in (
                    classroom.prompt_text(r.prompt, lang),
                    run_settings(r.prompt),
                    str(r.round),
                    r.nickname or _("(left the class)"),
                    _(r.answer),
                    verdict,
                    when(r.at),
                )
            ]
        )
    return out.getvalue()


def csv_name() -> str:
    return f"class-{codes.shown(code)}-{datetime.now(UTC).strftime('%Y-%m-%d')}.csv"


def download_answers(records: list[Record], key: str) -> None:
    """Every answer of the class as a CSV, made when the teacher asks for it."""
    st.download_button(
        _("Download the answers (CSV)"),
        answers_csv(records),
        file_name=csv_name(),
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def numbers(prompts: list[str]) -> None:
    """The class's numbers to keep: a summary per question, and the download of every answer."""
    records = store().record(code, key)
    with st.expander(_("The class's numbers: a summary, and every answer to download")):
        if not records:
            st.caption(_("Nobody in the class has answered yet."))
            return
        rows = []
        for prompt in prompts:
            truth = store().tally(code, prompt, 1, key=key).truth
            one = report.summary(records, prompt, truth)
            rows.append(
                {
                    _("question"): classroom.prompt_text(prompt, lang),
                    _("answered"): one.answered,
                    _("right in round 1"): one.right_first,
                    _("right in round 2"): one.right_second,
                    _("changed to right"): one.to_right,
                    _("changed to wrong"): one.to_wrong,
                }
            )
        st.dataframe(rows, hide_index=True)
        download_answers(records, "teach.download")


@st.fragment(run_every=CLASS_POLL_SECONDS)
def console() -> None:
    """The class as it is now: who joined, where it is, one card per question, and its numbers."""
    if problem := st.session_state.pop("teach.problem", None):
        st.error(plain(problem), icon="🚫")
    try:
        lesson = store().lesson(code)
        remember_runs(lesson)
        prompts = store().prompts(code, key)
        where = class_page(lesson, given_lesson(lesson))
        st.markdown(
            n_("**{n} student joined**", "**{n} students joined**", lesson.students)
            + " · "
            + (_("the class is on {page}", page=_(where.title)) if where else _("no page chosen yet"))
            + " · "
            + (_("following you") if lesson.following else _("exploring"))
        )
        if lesson.students:
            with st.expander(_("Nicknames")):
                names = store().nicknames(code, key)
                st.text(", ".join(names))
                remove_student(names)
        shown, earlier = on_screen(lesson, prompts)
        if not shown:
            st.caption(_("No answers yet: the cards appear as students answer the Predict: questions."))
        hidden = [p for p in shown if not lesson.is_shown(p)]
        unrevealed = [p for p in shown if not lesson.is_revealed(p)]
        if len(unrevealed) > 1:  # questions asked together (each weight up or down) are shown and revealed together
            every_show, every_reveal = st.columns(2)
            every_show.button(
                _("Show all {n}", n=len(hidden)),
                key="teach.show.all",
                on_click=act,
                disabled=not hidden,
                args=(show_all, hidden),
                help=_("Show the class's answers to every question on this page, without the answers"),
            )
            every_reveal.button(
                _("Reveal all {n}", n=len(unrevealed)),
                key="teach.reveal.all",
                on_click=act,
                args=(reveal_all, unrevealed),
                help=_("Reveal every question on this page that is still hidden"),
            )
        for prompt in shown:
            prompt_card(lesson, prompt)
        if earlier:
            with st.expander(
                n_(
                    "{n} question about this page's earlier pinned settings",
                    "{n} questions about this page's earlier pinned settings",
                    len(earlier),
                )
            ):
                for prompt in earlier:
                    prompt_card(lesson, prompt)
        numbers(prompts)
    except ClassError:
        classroom.leave_as_teacher()
        st.info(_("This class has ended."))
    except StoreUnavailable as problem:
        classroom.unreachable(problem)


# --- the projector ------------------------------------------------------------------------------------
def projector_card(lesson, prompt: str) -> None:
    """One question for the room: how many answered; the spread once shown; the answer and the
    share right in each round once revealed.  Never a nickname, never the answer before Reveal."""
    round = lesson.round_of(prompt)
    tally = store().tally(code, prompt, round, key=key)
    revealed, shown = lesson.is_revealed(prompt, round), lesson.is_shown(prompt, round)
    with st.container(border=True):
        st.markdown("### " + plain(classroom.prompt_text(prompt, lang)))
        st.markdown(
            (_("Round {n}", n=round) + " · " if round > 1 else "")
            + n_(
                "{answered} of {n} student answered",
                "{answered} of {n} students answered",
                tally.joined,
                answered=tally.answered,
            )
        )
        if not shown:
            st.markdown(_("The class's answers are hidden until the teacher shows them."))
            return
        round_chart(tally, "projector", tally.truth if revealed else None)
        if revealed and tally.truth is not None:
            st.markdown(_("**The answer:** {answer}", answer=plain(_(tally.truth))))
            shares = [store().tally(code, prompt, n, key=key) for n in range(1, round + 1)]
            st.markdown(
                " · ".join(
                    _(
                        "Round {n}: {share} right",
                        n=one.round,
                        share=lang.percent(report.share(one.right, one.answered) or 0),
                    )
                    for one in shares
                    if one.answered
                )
            )
        else:
            st.markdown(_("Talk it over with your neighbours: who is right, and why?"))


@st.fragment(run_every=CLASS_POLL_SECONDS)
def projector_live() -> None:
    """The projector's page, every few seconds: the code, the QR code, the counts and the questions;
    once the class has ended, only that."""
    you = classroom.member()
    try:
        if you is None or not you.key:
            raise ClassError("ended")
        lesson = store().lesson(code)
        prompts = store().prompts(code, key)
    except ClassError:
        classroom.leave_as_teacher()
        with st.container(key="projector-ended"):
            st.markdown(_("The class has ended. Thank you!"))
        return
    except StoreUnavailable as problem:
        classroom.unreachable(problem)
        return
    url, _how = join_address()
    join_url = f"{url}/?class={code}" + (f"&lang={lang.code}" if lang.code != "en" else "")
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        with st.container(key="projector-join"):
            st.markdown(_("Join at **{address}**", address=join_url.split("://", 1)[-1]))
        with st.container(key="projector-code"):
            st.markdown(codes.shown(code))
        shown, _earlier = on_screen(lesson, prompts)
        answered = max((store().tally(code, p, key=key).answered for p in shown), default=0)
        with st.container(key="projector-counts"):
            st.markdown(
                n_("{n} joined", "{n} joined", lesson.students) + " · " + n_("{n} answered", "{n} answered", answered)
            )
    with right, st.container(key="projector-qr"):
        st.image(segno.make(join_url, error="m").svg_inline(scale=8, border=2))
    with st.container(key="projector-cards"):
        for prompt in shown:
            projector_card(lesson, prompt)


def projector_page() -> None:
    st.html(PROJECTOR_STYLE)
    projector_live()
    st.toggle(_("Projector view (no controls, no nicknames, no teacher link)"), key=PROJECTOR)


# --- the page -------------------------------------------------------------------------------------------
unavailable: StoreUnavailable | None = None
teacher = None
try:
    store()  # reached at once: a teacher learns before pressing anything why no class can be opened
    teacher = classroom.teacher()
except StoreUnavailable as problem:
    unavailable = problem
code, key = (teacher.code, teacher.key or "") if teacher is not None else ("", "")
if st.session_state.get(PROJECTOR) and unavailable is None:
    projector_page()
    st.stop()

st.title("🧑‍🏫 " + _("Teach a class"))
st.caption(
    _(
        "Open a class and put its code on the projector. Students join from their own laptop or phone; their "
        "Predict: answers pool here, hidden from the projector until you show them."
    )
)
live, handout = st.tabs(["🧑‍🏫 " + _("A live class"), "📘 " + _("A lesson to hand out")])

with handout:  # drawn first: the live class below may stop the script (no class open yet)
    built = lesson_builder.build()
    lesson_builder.hand_out(base_url(), built)
    if teacher is not None:
        st.divider()
        st.toggle(
            _("Give the class this lesson"),
            key=keep("teach.with_lesson", False),
            help=_(
                "Every student's page in class {code} then shows only its pages and controls, and the "
                "settings it sets are pinned on its pages (your own pins stay for the rest). Turn it off to "
                "give every page back.",
                code=codes.shown(code),
            ),
        )
        given = lessons.encode(built) if st.session_state.get("teach.with_lesson") else None
        if st.session_state.get("teach.given", (code, None)) != (code, given):
            give_the_lesson(code, key, built if given else None)  # again whenever the lesson is edited
            st.session_state["teach.given"] = (code, given)

with live:
    if unavailable is not None:
        st.warning(
            _("No class can be opened or run right now. {problem}", problem=plain(say_problem(unavailable))), icon="📡"
        )
        st.stop()
    if teacher is None:
        keep_browser_id()
        if teacher_password() is not None:
            st.text_input(
                _("This server's teacher password"),
                type="password",
                key="teach.password",
                help=_("Whoever runs this server gave it to its teachers"),
            )
        st.button(_("Open a class"), on_click=open_class)
        if opening_failed := st.session_state.pop("teach.problem", None):
            st.error(plain(opening_failed), icon="🚫")
        st.markdown(
            _(
                "You get a class code and a QR code for the projector, and a private teacher link. Classes last "
                "12 hours; nothing of a student is kept but a nickname and their answers."
            )
        )
        idle = max(1, round(store().caps.idle_minutes))
        st.caption(
            n_(
                "A class no student joins within {n} minute ends by itself.",
                "A class no student joins within {n} minutes ends by itself.",
                idle,
            )
        )
        st.stop()

    st.toggle(
        _("Projector view (no controls, no nicknames, no teacher link)"),
        key=PROJECTOR,
        help=_("A page for the room: the code, the QR code and the questions, large"),
    )
    if pinning_failed := st.session_state.pop("teach.problem", None):
        st.error(plain(pinning_failed), icon="🚫")
    url, how = join_address()
    join_url = f"{url}/?class={code}" + (f"&lang={lang.code}" if lang.code != "en" else "")
    left, right = st.columns([3, 2], vertical_alignment="center")
    left.markdown("## " + _("Class code: {code}", code=codes.shown(code)))
    left.markdown(_("Join at:"))
    left.code(join_url, language=None)
    if how == "network":
        left.caption(
            _(
                "Your own address is this computer's (localhost), which phones cannot open: the link uses "
                "its network address, as Streamlit reports it."
            )
        )
    elif how == "local":
        left.warning(
            _(
                "Phones cannot reach localhost: open this page by the computer's network address, or set "
                "NNVIZ_PUBLIC_URL to the address students use."
            ),
            icon="📵",
        )
    right.image(segno.make(join_url, error="m").svg_inline(scale=6, border=2), caption=_("Scan to join"))
    with st.expander(_("Your teacher link (keep it private: whoever has it runs this class)")):
        st.code(classroom.teacher_link(base_url(), teacher), language=None)
    try:
        controls(store().lesson(code))
    except ClassError:
        classroom.leave_as_teacher()
        st.info(_("This class has ended."))
        st.stop()
    except StoreUnavailable as problem:
        classroom.unreachable(problem)
    st.divider()
    console()
