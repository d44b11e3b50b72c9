"""Section 3: what the network learned and how sure it is: beside guessing, over repeated
runs, beside a plain baseline, on a pass map, and whom it gets wrong."""

from __future__ import annotations

import os
from functools import partial

import numpy as np
import streamlit as st

from nnviz.gradebook import findings, tables
from nnviz.gradebook.intake import Intake
from nnviz.settings import MAX_RUN_SECONDS
from nnviz.views import describe, figures
from nnviz.views.prompts import CANNOT_TELL, most_important_grade
from ui import background, charts, work
from ui.grades.book import Book
from ui.grades.training import Trained
from ui.keep import keep
from ui.shared import drawn
from ui.text import plain

RESAMPLES_PER_STEP = 8  # resamples trained per step of the progress bar (two at a time)


def what_it_learned(book: Book, intake: Intake, trained: Trained) -> None:
    found, baseline, guessing = _repeated_runs(book, intake, trained)
    say, fit = book.say, trained.fit
    if baseline is not None:
        st.markdown(f"**A plain baseline.** {plain(say(findings.baseline_sentence(fit, baseline)))}")
    if baseline is not None and fit.test_loss is not None:
        st.dataframe(tables.versus_baseline(fit, baseline, say, guessing), hide_index=True)
    if len(intake.features) >= 2:
        _pass_map(book, intake, trained, found)
    if len(fit.test_set.y):
        _who_it_gets_wrong(book, intake, fit)


def _repeated_runs(book: Book, intake: Intake, trained: Trained):
    """The bootstrap resamples and the baseline (at the top of the page, with a Stop), and what holds up over them."""
    config, test, run_key, say = trained.config, trained.test_share, trained.run_key, book.say
    seeds = findings.resample_seeds(config)
    batches = [seeds[i : i + RESAMPLES_PER_STEP] for i in range(0, len(seeds), RESAMPLES_PER_STEP)]
    # The time cap, shared by every run: each resample gets its share (two train at once).
    run_seconds = MAX_RUN_SECONDS / (len(seeds) + 1)
    pool = background.pool()  # below every page's own work: a big upload never holds the class up
    first, baseline, *more = work.steps(  # shown at the top of the page, with a Stop button
        (run_key, "findings"), f"Measuring what holds up: training on {len(seeds)} resamples of the class, and a plain baseline",
        [((run_key, "resamples", batches[0]), partial(findings.resampled_many, intake, config, batches[0], run_seconds, pool)),
         ((run_key, "baseline"), lambda: findings.fit(intake, findings.baseline_config(config), test, max_seconds=run_seconds)),
         *(((run_key, "resamples", batch), partial(findings.resampled_many, intake, config, batch, run_seconds, pool)) for batch in batches[1:])],
        cores=min(RESAMPLES_PER_STEP, os.cpu_count() or 1),
    )  # fmt: skip
    guessing = findings.against_guessing(trained.fit)
    found = findings.combine(intake, [r for batch in (first, *more) if batch is not None for r in batch], guessing)
    if len(found.seeds) < len(seeds):
        st.info(f"Stopped: what follows rests on {len(found.seeds)} of {len(seeds)} resamples of the class"
                + ("" if baseline is not None else ", without the plain baseline") + ".")  # fmt: skip
    against = guessing.sentence(found) if guessing is not None else found.out_of_bag_sentence()
    if not found.claims:  # said first and plainly: no claims follow
        st.warning(plain(say(against)), icon="🎲")
    else:
        st.markdown(f"**Better than guessing?** {plain(say(against))}")
    prompts = trained.prompts
    if found.claims and prompts.choice(
        "most_important", "which grade matters most for passing?", (*intake.features, CANNOT_TELL),
        lambda: most_important_grade(found), "what the network learned",
    ):  # fmt: skip
        drawn((run_key, "effects", found.seeds, prompts.enabled), partial(_effects, book, found, not prompts.enabled))
    return found, baseline, guessing


def _effects(book: Book, found: findings.Findings, sentence: bool) -> None:
    comma = book.table.decimal_comma
    figure = figures.effects_figure(found.effects, found.regression_effects(), found.interval_words())
    figure, words = charts.in_convention(figure, describe.effects(found), comma)
    charts.show(figure, "effects_chart", words)
    if sentence:  # an answered prompt has just said it
        st.markdown(plain(book.say(found.sentence())))
    if (agree := found.agreement()) is not None:
        st.markdown(plain(book.say(agree)))
    st.caption(
        f"Each bar: raise one grade for every student of the class (others held) by a tenth of its scale, or by "
        f"one letter for letter grades, and average the change in the chance of passing. The network was trained "
        f"on {found.resamples} resamples of the class (students drawn with replacement, seeds "
        f"{found.seeds_text()}; each stopped early on the students it did not draw): the bar is the mean, the "
        f"whiskers {found.interval_words()}. The pale outlined bar under it: a plain logistic regression on the "
        "whole class, its whiskers the 90 % interval from its standard errors, a second method that shares "
        "neither the training nor the resampling. A network bar is blue (helps) or orange (hurts) only where both "
        "intervals are on that side of zero; grey where either spans zero."
    )


def _pass_map(book: Book, intake: Intake, trained: Trained, found: findings.Findings) -> None:
    """The chance of passing over two grades the teacher picks (the two that matter most, first)."""
    features, fit = intake.features, trained.fit
    order = [features.index(e.grade) for e in found.effects]
    map_cols = st.columns(2)
    x = map_cols[0].selectbox("Pass map: across", range(len(features)),
                              format_func=lambda j: features[j], key=keep(f"map_x.{book.digest}", order[0]))  # fmt: skip
    y_options = [j for j in range(len(features)) if j != x]
    y = map_cols[1].selectbox("up", y_options, format_func=lambda j: features[j],
                              key=keep(f"map_y.{book.digest}.{x}", order[1] if order[1] in y_options else y_options[0]))  # fmt: skip
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
        )
        predicted = findings.chance_of_passing(fit.params, data, data.raw_X) >= 0.5
        return figure, describe.pass_map(grid, passed, predicted, others)

    charts.show_shared(
        (trained.this_run, x, y, book.show_names), "pass_map", figure_and_words, decimal_comma=book.table.decimal_comma
    )
    st.caption(
        "The chance of passing over two grades"
        + (f", with {plain(', '.join(others))} held at the class median" if others else "")
        + (". These grades predict no better than guessing, so the map's shape is noise, not a rule"
           if not found.claims else "")
        + ". The dark line is 50 %: on its blue side the network predicts a pass, on its orange side a fail (where "
        "there is no line, it predicts the same for the whole map). Dots are the students: blue circles passed, "
        "vermillion crosses failed; hollow ones were held out of training."
    )  # fmt: skip


def _who_it_gets_wrong(book: Book, intake: Intake, fit: findings.Fit) -> None:
    st.markdown("**Who it gets wrong** (the held-out students, with the kept network)")
    st.dataframe(tables.two_by_two(findings.confusion(fit)), hide_index=True)
    wrong = findings.wrong_students(fit)
    if not len(wrong):
        st.caption("It gets every held-out student right.")
        return
    wrong["student"] = book.who(wrong["student"])
    wrong["chance of passing"] = [f"{p:.0%}" for p in wrong["chance of passing"]]
    if book.table.decimal_comma:  # the grades as the file writes them
        for column in (findings.written_name(intake, c) for c in intake.features):
            wrong[column] = [book.say(f"{v:g}") for v in wrong[column]]
    st.dataframe(wrong, hide_index=True)
