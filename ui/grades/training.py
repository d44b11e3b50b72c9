"""Section 2: training the network on the teacher's class, its loss with the early stop, the
animation and the weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from nnviz.engine.elbow import METHOD, find_elbow
from nnviz.engine.training import Run, TrainingConfig
from nnviz.gradebook import findings
from nnviz.gradebook.intake import Intake
from nnviz.i18n import M_
from nnviz.views import describe, diagram, figures, notebook
from nnviz.views.prompts import HELD_OUT, SAME, TRAINED, train_or_test
from ui import charts, url_state
from ui.grades.book import Book
from ui.keep import keep
from ui.language import N_, _, language
from ui.predict import Prompts
from ui.runs import get_run, run_id, stop_reason
from ui.shared import shared
from ui.text import plain
from ui.viewport import is_narrow


@dataclass(frozen=True)
class Trained:
    """What the later sections build on: the run, the network kept at its early stop, and the
    keys that name them in the shared caches."""

    config: TrainingConfig
    test_share: float
    run: Run
    fit: findings.Fit
    run_key: tuple
    this_run: Any
    prompts: Prompts


def train(book: Book, intake: Intake, intake_of: tuple, values: dict, page: str) -> Trained:
    """Train (or follow the shared run), and show its metrics, loss, animation and weights."""
    lang = language()
    config = TrainingConfig.from_values(values)
    test_share = values["test"]
    train_set, test_set = shared(
        ("split", intake_of, test_share, config.seed), lambda: findings.split(intake.dataset, test_share, config.seed)
    )
    run_key = ("grades", intake_of, config, test_share)
    run = get_run(run_key, train_set.X, train_set.y, config, live_curve="objective", live_label=N_("loss"))
    this_run = run_id(run_key, run)  # names what is drawn from it, for the shared caches
    fit = shared((this_run, "fit"), lambda: findings.fit(intake, config, test_share, run=run))
    say, comma = book.say, book.table.decimal_comma
    if run.stopped_early:
        st.info(
            say(
                _(
                    "Training stopped at iteration {k} ({reason}).",
                    k=lang.integer(run.last_iteration),
                    reason=stop_reason(run),
                )
            )
        )

    # The prompts quiz students on the bundled sample; on a teacher's own upload the findings come first,
    # and a switch puts the questions back for a teacher who wants to quiz the class on its own data.
    quiz = not book.uploaded or st.toggle(
        _("Quiz the class on this file (the Predict: questions hide each finding until answered)"),
        key=keep(f"quiz.{book.digest}"),
        disabled=not values["predict"],
    )
    prompts = Prompts(page, values["predict"] and quiz, run_key, say)
    cols = st.columns(4)
    cols[0].metric(_("training rows / test rows"), f"{len(train_set.y)} / {len(test_set.y)}")
    cols[1].metric(_("loss (training, kept network)"), say(lang.decimal(fit.train_loss, 4)))
    cols[2].metric(_("accuracy (training)"), lang.percent(fit.train_accuracy))
    if fit.test_accuracy is None:
        cols[3].metric(_("accuracy (test)"), "—")
    elif prompts.choice(
        "train_or_test",
        M_("will the network do better on the students it trained on, or on the held-out ones?"),
        (TRAINED, HELD_OUT, SAME),
        lambda: train_or_test(fit, lang=lang),
        _("the accuracy on the held-out students"),
    ):
        cols[3].metric(_("accuracy (test)"), lang.percent(fit.test_accuracy))

    elbow = shared((this_run, "elbow"), lambda: find_elbow(run.objective))
    charts.show_shared(this_run, "loss_chart", lambda: _loss_chart(run, fit, elbow), decimal_comma=comma)
    st.markdown(_("**Early stop.** {sentence}", sentence=plain(say(findings.memorising_sentence(fit, lang)))))
    st.caption(
        say(
            _(
                "The loss (binary cross-entropy) falls fastest before the elbow at iteration {elbow}. When the held-out "
                "students' loss turns up while the training loss keeps falling, the network is memorising rather than "
                "learning; everything below uses the network kept at the dashed line.",
                elbow=lang.integer(elbow),
            )
            + " "
            + _(METHOD)
        )
    )
    _inside(book, intake, run, this_run, train_set, page)
    _take_home(intake, run, fit, train_set)
    return Trained(config, test_share, run, fit, run_key, this_run, prompts)


def _take_home(intake: Intake, run: Run, fit: findings.Fit, train_set) -> None:
    """The training as a notebook: only the trained columns, scaled, and the page's pseudonyms."""
    config = run.config
    description = (
        f"the grades page's network: {len(train_set.y)} training students' {', '.join(intake.features)} "
        f"predicting {intake.target}, hidden {list(config.hidden)}, cross-entropy, lr {config.learning_rate}, "
        f"seed {config.seed}; the page keeps the network from iteration {fit.best_iteration:,}"
    )
    about = _(
        "**What is in it:** only the grades the network trained on, scaled as it saw them ((grade − class mean) / "
        "class std), and each training student as the page's pseudonym (Student n): no names, no ids, no other "
        "column of the file, and none of the held-out students."
    )
    st.download_button(
        _("Download a notebook (.ipynb, pseudonyms only)"),
        lambda: notebook.notebook(
            notebook.run_cells(
                run,
                description,
                fit.best_iteration,
                find_elbow(run.objective),
                about,
                train_set.row_labels,
                lang=language(),
                elbow_on="loss",
            )
        ),
        "nnviz_grades.ipynb",
        "application/x-ipynb+json",
        on_click="ignore",
    )


def _loss_chart(run: Run, fit: findings.Fit, elbow: int) -> tuple:
    lang = language()
    curve = fit.test_curve
    figure = figures.error_figure(
        run.objective,
        elbow,
        label=_("loss"),
        extra={_("loss (held-out students)"): curve.objective} if curve is not None else None,
        extra_iterations=curve.iterations if curve is not None else None,
        title=_("Loss over the first {n} iterations", n=lang.integer(len(run.objective) - 1)),
        lang=lang,
    )
    return (
        figures.mark_best_iteration(figure, fit.best_iteration, run.last_iteration, lang),
        describe.loss(run, None if curve is None else curve.objective, fit.best_iteration, elbow, lang),
    )


def _inside(book: Book, intake: Intake, run: Run, this_run: Any, train_set, page: str) -> None:
    """The animation of one student's node values, and the weights over the iterations."""
    lang = language()
    comma = book.table.decimal_comma
    student_names = book.who(train_set.row_labels or [_("row {n}", n=r + 1) for r in range(len(train_set.y))])
    row = st.selectbox(
        _("Show the node values for"),
        range(len(student_names)),
        format_func=lambda r: student_names[r],
        key=keep(url_state.key(page, "row")),
    )
    narrow = is_narrow()
    charts.show_shared(
        (this_run, row, book.show_names, narrow),
        "animation",
        lambda: (
            diagram.training_animation(
                run, intake.features, row=row, row_names=student_names, narrow=narrow, lang=lang
            ),
            describe.animation(run, student_names, intake.features, lang=lang),
        ),
        decimal_comma=comma,
    )
    st.caption(
        _(
            "Drag the slider or press play: edges thicken with |w| (blue positive, vermillion negative); the inputs are "
            "the scaled grades."
        )
    )
    charts.show_shared(
        this_run,
        "weights_chart",
        lambda: (
            figures.weights_figure(run, intake.features, lang=lang),
            describe.weights(run, intake.features, lang=lang),
        ),
        decimal_comma=comma,
    )
    st.caption(
        _(
            "Each line is one weight; the ones that keep growing carry the grades the network leans on (whether that "
            "holds beyond these students is the next section's question)."
        )
    )
