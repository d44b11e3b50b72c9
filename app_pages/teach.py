"""Teach a class: open a class, put its code and QR code on the projector, pin the lesson's
settings, bring everyone to a page, and reveal what the class predicted."""

from collections.abc import Callable

import segno
import streamlit as st

from nnviz import lesson as lessons
from nnviz.classroom import codes
from nnviz.classroom.store import LESSON_ENTRY, ClassError, StoreUnavailable
from nnviz.settings import CLASS_POLL_SECONDS, parse_query, run_digest, teacher_password, to_query
from nnviz.views import describe, figures
from ui import classroom, lesson_builder, url_state
from ui.keep import KEPT, keep
from ui.language import _, language, n_
from ui.language import problem as say_problem
from ui.text import plain
from ui.visitor import keep_browser_id, visitor

# No primary (filled) buttons: the dark theme's sky blue under white text is 2.3:1, below WCAG AA.
lang = language()
st.title("🧑‍🏫 " + _("Teach a class"))
st.caption(_(
    "Open a class and put its code on the projector. Students join from their own laptop or phone; their "
    "Predict: answers pool here, hidden from the projector until you reveal them."
))  # fmt: skip
store = classroom.store
live, handout = st.tabs(["🧑‍🏫 " + _("A live class"), "📘 " + _("A lesson to hand out")])


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
    its pages is pinned with its settings."""
    try:
        if handout is None:
            store().pin(code, key, LESSON_ENTRY, {})
            return
        store().pin(code, key, LESSON_ENTRY, {"text": lessons.encode(handout)})
        for page in handout.pages:
            store().pin(code, key, page, handout.query(page))
    except (ClassError, StoreUnavailable) as problem:
        st.session_state["teach.problem"] = say_problem(problem)


def lesson_note(given: lessons.Lesson | None, page) -> str:
    """What the class's lesson does on ``page``, for the teacher."""
    if given is None or page.url_path not in given.pages:
        return _("This page is not in the class's lesson: its students cannot open it.")
    fixed = [_(page.spec[name].label) for name in given.fixed(page.url_path) if name != "predict"]
    if not fixed:
        return _("The class's lesson fixes none of them.")
    return n_("The class's lesson fixes {n} of them: {settings}.", "The class's lesson fixes {n} of them: {settings}.",
              len(fixed), settings=", ".join(fixed))  # fmt: skip


def base_url() -> str:
    """The app's address as the teacher's browser reaches it (behind a proxy too)."""
    url = str(st.context.url or "").split("?")[0].rstrip("/")
    return url[: -len("/teach")] if url.endswith("/teach") else url


def controls(lesson) -> None:
    """Where the class goes, with which settings, and when it is over."""
    pages = list(classroom.PAGES.values())
    chosen = st.selectbox(_("The class's page"), pages, format_func=lambda p: lang._(p.title), key="teach.page")
    pinned = lesson.pinned.get(chosen.url_path)
    # The settings the teacher left that page with (Streamlit drops a left page's widgets; ui.keep has them).
    kept = st.session_state.get(KEPT, {})
    left_with = {
        name: kept[url_state.key(chosen.key, name)] for name in chosen.spec if url_state.key(chosen.key, name) in kept
    }
    mine = to_query(chosen.spec, parse_query(chosen.spec, {n: str(v) for n, v in left_with.items()})[0])
    st.caption(
        _("Settings every student gets there: {settings}",
          settings=", ".join(f"{k}={plain(v)}" for k, v in sorted(pinned.items())) or _("the page's defaults"))
        if pinned is not None
        else _("No settings pinned for this page: students get its defaults.")
    )  # fmt: skip
    if given := lesson.pinned.get(LESSON_ENTRY, {}).get("text"):
        st.caption(lesson_note(lessons.parse(given)[0], chosen))
    pin, bring, explore, end = st.columns(4)
    try:
        if pin.button(_("Pin my settings for it"), help=_("The settings you left that page with, from your own visit")):
            store().pin(code, key, chosen.url_path, mine)
            st.rerun()
        if bring.button(_("Bring everyone here"), help=_("Every following student goes to this page")):
            store().bring_here(code, key, chosen.url_path)
        if explore.button(_("Let them explore"), help=_("Students may go where they like")):
            store().let_explore(code, key)
        if end.button(_("End class"), help=_("The class and every answer in it are deleted")):
            store().end(code, key)
            classroom.leave_as_teacher()
            st.rerun()
    except (ClassError, StoreUnavailable) as problem:
        st.error(plain(say_problem(problem)), icon="🚫")
    st.page_link(f"app_pages/{chosen.url_path}.py", label=_("Open {page} yourself", page=_(chosen.title)), icon="➡️")


def reveal_all(prompts: list[str]) -> None:
    for prompt in prompts:
        store().reveal(code, key, prompt)


def prompt_card(lesson, prompt: str) -> None:
    round = lesson.round_of(prompt)
    tally = store().tally(code, prompt, round, key=key)
    revealed = lesson.is_revealed(prompt, round)
    with st.container(border=True):
        shown = plain(classroom.prompt_text(prompt, lang))
        st.markdown(f"**{shown}**" + (" · " + _("round {n}", n=round) if round > 1 else ""))
        st.caption(
            n_("{answered} of {n} student answered", "{answered} of {n} students answered", tally.joined,
               answered=tally.answered)
            + (" · " + _("revealed: the round is closed") if revealed else "")
        )  # fmt: skip
        if projector and not revealed:
            st.caption(_("The class's answers are hidden until you reveal them."))
        elif tally.counts:
            words = describe.class_answers(tally.counts, truth=tally.truth, lang=lang)
            st.plotly_chart(figures.class_answers_figure(tally.counts, _("The class's answers"), truth=tally.truth,
                                                         lang=lang),
                            key=f"teach.{prompt}.{round}.{projector}", alt=words)  # fmt: skip
        if tally.truth is not None and (revealed or not projector):
            answer = plain(_(tally.truth))
            st.markdown(_("**The answer:** {answer}", answer=answer) if revealed
                        else _("**The answer:** {answer} (only you see it)", answer=answer))  # fmt: skip
        if round > 1 and not projector:
            moved = store().changes(code, key, prompt, round - 1, round)
            changed = sum(n for (a, b), n in moved.items() if a != b)
            moves = ", ".join(_("{n} from {before} to {after}", n=n, before=plain(_(a)), after=plain(_(b)))
                              for (a, b), n in moved.items() if a != b)  # fmt: skip
            st.caption(
                _("{n} changed their mind since round {round}: {moves}", n=changed, round=round - 1, moves=moves)
                if changed else _("{n} changed their mind since round {round}", n=changed, round=round - 1)
            )  # fmt: skip
        if not projector:
            reveal, again = st.columns(2)
            reveal.button(_("Reveal"), key=f"teach.reveal.{prompt}.{round}", disabled=revealed,
                          on_click=act, args=("reveal", code, key, prompt))  # fmt: skip
            again.button(_("Ask again"), key=f"teach.again.{prompt}.{round}", disabled=not revealed,
                         help=_("A second vote on the same question, after the class has discussed it"),
                         on_click=act, args=("ask_again", code, key, prompt))  # fmt: skip


def on_screen(lesson, prompts: list[str]) -> tuple[list[str], list[str]]:
    """The questions about the run on the students' screens (the class's page as pinned now), and
    those about the page's earlier pins: each run has its own true answer and rounds."""
    where = classroom.PAGES.get(lesson.page or "")
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
    gone = who.selectbox(_("Remove a student"), names, index=None, key="teach.remove.who",
                         placeholder=_("Choose a nickname"))  # fmt: skip
    remove.button(_("Remove"), key="teach.remove", disabled=gone is None, on_click=removed, args=(gone or "",),
                  help=_("They leave the class, with their answers to questions not yet revealed"))  # fmt: skip
    if failed := st.session_state.pop("teach.remove.problem", None):
        st.error(plain(failed), icon="🚫")


def removed(nickname: str) -> None:
    try:
        store().remove(code, key, nickname)
    except (ClassError, StoreUnavailable) as problem:
        st.session_state["teach.remove.problem"] = say_problem(problem)
    st.session_state.pop("teach.remove.who", None)


@st.fragment(run_every=CLASS_POLL_SECONDS)
def console() -> None:
    """The class as it is now: who joined, where it is, and one card per question answered."""
    if problem := st.session_state.pop("teach.problem", None):
        st.error(plain(problem), icon="🚫")
    try:
        lesson = store().lesson(code)
        prompts = store().prompts(code, key)
        where = classroom.PAGES.get(lesson.page or "")
        st.markdown(
            n_("**{n} student joined**", "**{n} students joined**", lesson.students)
            + " · " + (_("the class is on {page}", page=_(where.title)) if where else _("no page chosen yet"))
            + " · " + (_("following you") if lesson.following else _("exploring"))
        )  # fmt: skip
        if not projector and lesson.students:
            with st.expander(_("Nicknames")):
                names = store().nicknames(code, key)
                st.text(", ".join(names))
                remove_student(names)
        shown, earlier = on_screen(lesson, prompts)
        if not shown:
            st.caption(_("No answers yet: the cards appear as students answer the Predict: questions."))
        hidden = [p for p in shown if not lesson.is_revealed(p)]
        if not projector and len(hidden) > 1:  # questions asked together (each weight up or down) are revealed together
            st.button(_("Reveal all {n}", n=len(hidden)), key="teach.reveal.all", on_click=act,
                      args=(reveal_all, hidden), help=_("Reveal every question on this page that is still hidden"))  # fmt: skip
        for prompt in shown:
            prompt_card(lesson, prompt)
        if earlier and not projector:
            with st.expander(n_("{n} question about this page's earlier pinned settings",
                                "{n} questions about this page's earlier pinned settings", len(earlier))):  # fmt: skip
                for prompt in earlier:
                    prompt_card(lesson, prompt)
    except ClassError:
        classroom.leave_as_teacher()
        st.info(_("This class has ended."))
    except StoreUnavailable as problem:
        classroom.unreachable(problem)


with handout:  # drawn first: the live class below may stop the script (no class open yet)
    built = lesson_builder.build()
    lesson_builder.hand_out(base_url(), built)

with live:
    try:
        store()  # reached at once: a teacher learns before pressing anything why no class can be opened
        teacher = classroom.teacher()
    except StoreUnavailable as problem:
        st.warning(
            _("No class can be opened or run right now. {problem}", problem=plain(say_problem(problem))), icon="📡"
        )
        st.stop()
    if teacher is None:
        keep_browser_id()
        if teacher_password() is not None:
            st.text_input(_("This server's teacher password"), type="password", key="teach.password",
                          help=_("Whoever runs this server gave it to its teachers"))  # fmt: skip
        st.button(_("Open a class"), on_click=open_class)
        if opening_failed := st.session_state.pop("teach.problem", None):
            st.error(plain(opening_failed), icon="🚫")
        st.markdown(_(
            "You get a class code and a QR code for the projector, and a private teacher link. Classes last "
            "12 hours; nothing of a student is kept but a nickname and their answers."
        ))  # fmt: skip
        idle = max(1, round(store().caps.idle_minutes))
        st.caption(n_("A class no student joins within {n} minute ends by itself.",
                      "A class no student joins within {n} minutes ends by itself.", idle))  # fmt: skip
        st.stop()

    code, key = teacher.code, teacher.key or ""
    projector = st.toggle(_("Projector view (no controls, no nicknames, no teacher link)"), key="teach.projector")
    if not projector:
        st.toggle(_("Give the class the lesson built in the next tab"), key=keep("teach.with_lesson", False),
                  help=_("Every student's page then shows only its pages and controls, and its settings are pinned "
                         "on its pages. Turn it off to give every page back."))  # fmt: skip
    given = lessons.encode(built) if st.session_state.get("teach.with_lesson") else None
    if st.session_state.get("teach.given", (code, None)) != (code, given):
        give_the_lesson(code, key, built if given else None)  # again whenever the lesson is edited
        st.session_state["teach.given"] = (code, given)
    if pinning_failed := st.session_state.pop("teach.problem", None):
        st.error(plain(pinning_failed), icon="🚫")
    join_url = f"{base_url()}/?class={code}" + (f"&lang={lang.code}" if lang.code != "en" else "")
    left, right = st.columns([3, 2], vertical_alignment="center")
    left.markdown("## " + _("Class code: {code}", code=codes.shown(code)))
    left.markdown(_("Join at:"))
    left.code(join_url, language=None)
    right.image(segno.make(join_url, error="m").svg_inline(scale=6, border=2), caption=_("Scan to join"))
    if not projector:
        with st.expander(_("Your teacher link (keep it private: whoever has it runs this class)")):
            st.code(classroom.teacher_link(base_url(), teacher), language=None)
    if not projector:
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
