"""Section 3: what the network learned and how sure it is: beside guessing, over repeated
runs, beside a plain baseline, on a pass map, and whom it gets wrong."""

from __future__ import annotations

import os
from functools import partial

import numpy as np
import streamlit as st

from nnviz.gradebook import findings, tables
from nnviz.gradebook.intake import Intake
from nnviz.i18n import M_
from nnviz.settings import MAX_RUN_SECONDS
from nnviz.views import describe, figures
from nnviz.views.prompts import CANNOT_TELL, most_important_grade
from ui import background, charts, work
from ui.grades.book import Book
from ui.grades.training import Trained
from ui.keep import keep
from ui.language import _, language, pgettext
from ui.shared import drawn
from ui.text import plain

RESAMPLES_PER_STEP = 8  # resamples trained per step of the progress bar (two at a time)


def what_it_learned(book: Book, intake: Intake, trained: Trained) -> None:
    found, baseline, guessing = _repeated_runs(book, intake, trained)
    say, fit, lang = book.say, trained.fit, language()
    if baseline is not None:
        st.markdown(
            _("**A plain baseline.** {sentence}", sentence=plain(say(findings.baseline_sentence(fit, baseline, lang))))
        )
    if baseline is not None and fit.test_loss is not None:
        st.dataframe(tables.versus_baseline(fit, baseline, say, guessing, lang), hide_index=True)
    if len(intake.features) >= 2:
        _pass_map(book, intake, trained, found)
    if len(fit.test_set.y):
        _who_it_gets_wrong(book, intake, fit)


def _repeated_runs(book: Book, intake: Intake, trained: Trained):
    """The bootstrap resamples and the baseline (at the top of the page, with a Stop), and what holds up over them."""
    config, test, run_key, say, lang = trained.config, trained.test_share, trained.run_key, book.say, language()
    seeds = findings.resample_seeds(config)
    batches = [seeds[i : i + RESAMPLES_PER_STEP] for i in range(0, len(seeds), RESAMPLES_PER_STEP)]
    # The time cap, shared by every run: each resample gets its share (two train at once).
    run_seconds = MAX_RUN_SECONDS / (len(seeds) + 1)
    pool = background.pool()  # below every page's own work: a big upload never holds the class up
    first, baseline, *more = work.steps(  # shown at the top of the page, with a Stop button
        (run_key, "findings"),
        _("Measuring what holds up: training on {n} resamples of the class, and a plain baseline", n=len(seeds)),
        [
            (
                (run_key, "resamples", batches[0]),
                partial(findings.resampled_many, intake, config, batches[0], run_seconds, pool),
            ),
            (
                (run_key, "baseline"),
                lambda: findings.fit(intake, findings.baseline_config(config), test, max_seconds=run_seconds),
            ),
            *(
                (
                    (run_key, "resamples", batch),
                    partial(findings.resampled_many, intake, config, batch, run_seconds, pool),
                )
                for batch in batches[1:]
            ),
        ],
        cores=min(RESAMPLES_PER_STEP, os.cpu_count() or 1),
    )
    guessing = findings.against_guessing(trained.fit)
    found = findings.combine(intake, [r for batch in (first, *more) if batch is not None for r in batch], guessing)
    if len(found.seeds) < len(seeds):
        if baseline is not None:
            st.info(
                _(
                    "Stopped: what follows rests on {done} of {n} resamples of the class.",
                    done=len(found.seeds),
                    n=len(seeds),
                )
            )
        else:
            st.info(
                _(
                    "Stopped: what follows rests on {done} of {n} resamples of the class, without the plain baseline.",
                    done=len(found.seeds),
                    n=len(seeds),
                )
            )
    against = guessing.sentence(found, lang) if guessing is not None else found.out_of_bag_sentence(lang)
    if not found.claims:  # said first and plainly: no claims follow
        st.warning(plain(say(against)), icon="🎲")
    else:
        st.markdown(_("**Better than guessing?** {sentence}", sentence=plain(say(against))))
    prompts = trained.prompts
    if found.claims and prompts.choice(
        "most_important",
        M_("which grade matters most for passing?"),
        (*intake.features, CANNOT_TELL),
        lambda: most_important_grade(found, lang),
        _("what the network learned"),
    ):
        drawn((run_key, "effects", found.seeds, prompts.enabled), partial(_effects, book, found, not prompts.enabled))
    return found, baseline, guessing


def _effects(book: Book, found: findings.Findings, sentence: bool) -> None:
    comma, lang = book.table.decimal_comma, language()
    figure = figures.effects_figure(found.effects, found.regression_effects(), found.interval_words(lang), lang=lang)
    figure, words = charts.in_convention(figure, describe.effects(found, lang), comma)
    charts.show(figure, "effects_chart", words)
    if sentence:  # an answered prompt has just said it
        st.markdown(plain(book.say(found.sentence(lang))))
    if (agree := found.agreement(lang)) is not None:
        st.markdown(plain(book.say(agree)))
    st.caption(
        _(
            "Each bar: raise one grade for every student of the class (others held) by a tenth of its scale, or by "
            "one letter for letter grades, and average the change in the chance of passing. The network was trained "
            "on {n} resamples of the class (students drawn with replacement, seeds {seeds}; each stopped early on the "
            "students it did not draw): the bar is the mean, the whiskers {interval}. The pale outlined bar under it: a "
            "plain logistic regression on the whole class, its whiskers the 90 % interval from its standard errors, a "
            "second method that shares neither the training nor the resampling. A network bar is blue (helps) or orange "
            "(hurts) only where both intervals are on that side of zero; grey where either spans zero.",
            n=found.resamples,
            seeds=found.seeds_text(),
            interval=found.interval_words(lang),
        )
    )


def _pass_map(book: Book, intake: Intake, trained: Trained, found: findings.Findings) -> None:
    """The chance of passing over two grades the teacher picks (the two that matter most, first)."""
    features, fit = intake.features, trained.fit
    order = [features.index(e.grade) for e in found.effects]
    map_cols = st.columns(2)
    x = map_cols[0].selectbox(
        _("Pass map: across"),
        range(len(features)),
        format_func=lambda j: features[j],
        key=keep(f"map_x.{book.digest}", order[0]),
    )
    y_options = [j for j in range(len(features)) if j != x]
    y = map_cols[1].selectbox(
        pgettext("pass map axis", "up"),
        y_options,
        format_func=lambda j: features[j],
        key=keep(f"map_y.{book.digest}.{x}", order[1] if order[1] in y_options else y_options[0]),
    )
    others = [c for j, c in enumerate(features) if j not in (x, y)]

    def figure_and_words():
        """The map and its words, from one grid."""
        data = intake.dataset
        grid = findings.pass_map(fit.params, intake, x, y)
        is_test = np.isin(np.array(data.row_labels, dtype=object), np.array(fit.test_set.row_labels, dtype=object))
        passed = data.y >= 0.5
        figure = figures.pass_map_figure(
            grid,
            findings.as_written(intake, x, data.raw_X[:, x]),
            findings.as_written(intake, y, data.raw_X[:, y]),
            passed,
            is_test,
            book.who(data.row_labels),
            lang=language(),
        )
        predicted = findings.chance_of_passing(fit.params, data, data.raw_X) >= 0.5
        return figure, describe.pass_map(grid, passed, predicted, others, lang=language())

    charts.show_shared(
        (trained.this_run, x, y, book.show_names), "pass_map", figure_and_words, decimal_comma=book.table.decimal_comma
    )
    caption = (
        _(
            "The chance of passing over two grades, with {others} held at the class median.",
            others=plain(", ".join(others)),
        )
        if others
        else _("The chance of passing over two grades.")
    )
    if not found.claims:
        caption += " " + _("These grades predict no better than guessing, so the map's shape is noise, not a rule.")
    st.caption(
        caption
        + " "
        + _(
            "The dark line is 50 %: on its blue side the network predicts a pass, on its orange side a fail (where "
            "there is no line, it predicts the same for the whole map). Dots are the students: blue circles passed, "
            "vermillion crosses failed; hollow ones were held out of training."
        )
    )


def _who_it_gets_wrong(book: Book, intake: Intake, fit: findings.Fit) -> None:
    lang = language()
    st.markdown(_("**Who it gets wrong** (the held-out students, with the kept network)"))
    st.dataframe(tables.two_by_two(findings.confusion(fit), lang), hide_index=True)
    wrong = findings.wrong_students(fit)
    if not len(wrong):
        st.caption(_("It gets every held-out student right."))
        return
    wrong["student"] = book.who(wrong["student"])
    wrong["chance of passing"] = [lang.percent(p) for p in wrong["chance of passing"]]
    wrong["predicted"] = [_(value) for value in wrong["predicted"]]  # pass / fail
    wrong["real result"] = [_(value) for value in wrong["real result"]]  # passed / failed
    wrong = wrong.rename(
        columns={
            "student": _("student"),
            "chance of passing": _("chance of passing"),
            "real result": _("real result"),
            "predicted": _("predicted"),
        }
    )
    if book.table.decimal_comma:  # the grades as the file writes them
        for column in (findings.written_name(intake, c) for c in intake.features):
            wrong[column] = [book.say(f"{v:g}") for v in wrong[column]]
    st.dataframe(wrong, hide_index=True)
