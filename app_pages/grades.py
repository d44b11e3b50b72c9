"""The grades walk-through: a class's own gradebook, a 3-2-1 network, what holds up, and this year's predictions."""

import hashlib
from collections.abc import Callable, Hashable
from functools import partial
from typing import NoReturn, TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from nnviz import datasets
from nnviz.engine.elbow import METHOD, find_elbow
from nnviz.engine.training import TrainingConfig
from nnviz.gradebook import findings as grades
from nnviz.gradebook import tables
from nnviz.gradebook import vocabulary as gb
from nnviz.gradebook.intake import (
    MAX_GRADE_COLUMNS,
    MAX_ROWS,
    IntakeError,
    PassRule,
    Table,
    build,
    default_pass_mark,
    guess_features,
    guess_pass_value,
    guess_rule,
    guess_target,
    passed,
    plausible_results,
    prediction_grades,
    read_or_refusal,
    result_kind,
    result_values,
)
from nnviz.numbers import with_decimal_comma
from nnviz.settings import GRADES as SPEC
from nnviz.settings import MAX_RUN_SECONDS
from nnviz.views import describe, diagram, figures
from nnviz.views.prompts import CANNOT_TELL, HELD_OUT, SAME, TRAINED, most_important_grade, train_or_test
from ui import charts, url_state, work
from ui.keep import keep
from ui.network_controls import network_controls
from ui.predict import Prompts
from ui.runs import get_run, run_id, stop_reason
from ui.shared import drawn, private, shared
from ui.shell import page_header
from ui.text import plain
from ui.uploads import kept_upload
from ui.viewport import is_narrow

PAGE = "grades"
T = TypeVar("T")


def key(name: str) -> str:
    return url_state.key(PAGE, name)


page_header(
    SPEC, PAGE, "🎓 Will they pass? A network learns from grades",
    "Last years' grades for class assignments, written tests and oral tests, and whether each student passed the "
    "final exam. A small network learns the link, shows what it learned and how sure it is, and predicts this "
    "year's students.",
)  # fmt: skip
network_controls(SPEC, PAGE, seed_label="Random seed (weights and split)")
with st.sidebar:
    st.slider("Share of students held out for testing", 0.0, SPEC["test"].high, step=0.05, key=key("test"))

values = url_state.read_all(SPEC, PAGE)
url_state.save(SPEC, values)

# --- Getting the data in --------------------------------------------------------------------
st.subheader("1 · The class's grades")
upload = kept_upload(
    "grades.file",
    "Upload last years' grades as CSV (a Canvas or Moodle export, Google Sheets, Excel in any language)",
    "Last years' grades",
    help=f"One row per student: grade columns, and a result (pass/fail in any language, or a final exam score). "
    f"At most {MAX_ROWS:,} rows and {MAX_GRADE_COLUMNS} grade columns. An uploaded file, and everything read and "
    "trained from it, stays in your session only, in the server's memory: never written to disk, never in a link, "
    "never in a cache another visitor reaches. It goes when you remove it or close the tab.",
)
# Everything made from a teacher's file stays in their session (ui/shared.py, "private").
private(upload is not None or "grades.this_year.kept" in st.session_state)
sample_bytes = shared("sample file", datasets.students_csv_path().read_bytes)
if upload is None:
    data_bytes, file_name = sample_bytes, "students.csv (sample)"
    st.info("Showing the bundled sample: 200 made-up students whose chance of passing depends most on written tests.")
else:
    file_name, data_bytes = upload
st.download_button(
    "Download the sample as a template", lambda: sample_bytes, "students.csv", "text/csv", on_click="ignore"
)

digest = hashlib.sha256(data_bytes).hexdigest()[:16]


def refuse(problem: IntakeError) -> NoReturn:
    """The file's one-line problem, and nothing more of the page."""
    st.error(plain(problem), icon="🚫")
    st.stop()
    raise AssertionError("st.stop returned")


parsed = shared(("table", digest, file_name), lambda: read_or_refusal(data_bytes, file_name))
table = (
    parsed if isinstance(parsed, Table) else refuse(parsed)
)  # refusals are kept too: a rerun never reads the bytes again

comma = table.decimal_comma  # a German or French file writes 0,38: the page says its numbers the same way


def say(text: object) -> str:
    """Text with the file's own decimal mark (``nnviz.numbers``); before ``plain``, which escapes dots."""
    return with_decimal_comma(str(text)) if comma else str(text)


show_names = st.toggle(
    "Show students' names",
    key=keep(f"names.{digest}"),
    help="Off by default, so the page can be projected: students are 'Student 1 … n'. Names stay in your session.",
)


def about_table(what: Hashable, answer: Callable[[], T]) -> T:
    """A question about the file (its likely result column, a column's kind), answered once."""
    return shared(("table", digest, file_name, what), answer)


def share_passed(rule: PassRule) -> None:
    """How many students passed under the teacher's rule: a check that the rule reads the column
    right, and a warning when one side has too few students to learn from."""
    outcome = passed(table, rule)
    known = outcome.notna()
    if known.any():
        passes, total = int(outcome[known].sum()), int(known.sum())
        st.caption(f"{plain(say(rule.describe()))}: {passes} of {total} students passed ({passes / total:.0%}).")
        warning = grades.one_sided(passes, total - passes)
        if warning:
            st.warning(say(warning), icon="⚖️")


names_of = about_table("names", lambda: dict(zip(table.pseudonyms(), table.names())))


def who(labels) -> list[str]:
    return tables.shown_as(labels, names_of, show_names)


def preview() -> None:
    """The file's first rows as read, without names and ids."""
    first = table.frame.drop(columns=list(table.identity)).head(20)
    first.insert(0, "student", who(table.pseudonyms()[:20]))
    st.dataframe(first, hide_index=True)
    if table.identity:
        st.caption(f"Not shown (names and ids): {plain(', '.join(table.identity))}.")


plausible = about_table("plausible results", lambda: plausible_results(table))
with st.expander("What was read, and what counts as passing", expanded=upload is not None or len(plausible) > 1):
    if len(plausible) > 1:
        st.warning(
            f"{len(plausible)} columns could be the result: {plain(', '.join(plausible))}. Using "
            f"{plain(st.session_state.get(f'target.{digest}', plausible[0]))}; choose another under "
            "'The result column' below.",
            icon="❓",
        )
    drawn(("preview", digest, file_name, show_names), preview)
    candidates = [c for c in table.columns if c not in table.identity] or table.columns
    target_guess = about_table("target", lambda: guess_target(table))
    target = st.selectbox(
        "The result column",
        candidates,
        key=keep(f"target.{digest}", target_guess if target_guess in candidates else candidates[-1]),
    )
    kind = about_table(("kind", target), lambda: result_kind(table, target))
    rule = None
    if kind == "two":
        options = about_table(("values", target), lambda: result_values(table, target))
        guess = guess_pass_value(options)
        value = st.radio(
            plain(f"Which value in {target!r} means passed?"),
            options,
            format_func=plain,
            index=None,
            horizontal=True,
            key=keep(f"pass_value.{digest}.{target}", guess if guess in options else None),
        )
        if value is not None:
            rule = PassRule(target, value=value)
    elif kind == "score":
        lower = st.checkbox(
            "A lower score is better in this column (1 is the best grade, as in Germany)",
            key=keep(f"pass_lower.{digest}.{target}"),
        )
        mark = st.number_input(
            plain(f"Pass mark: passed when {target} is {'at most' if lower else 'at least'}"),
            key=keep(
                f"pass_mark.{digest}.{target}.{lower}",
                float(about_table(("mark", target, lower), lambda: default_pass_mark(table, target, lower))),
            ),
        )
        rule = PassRule(target, mark=float(mark), lower_is_better=lower)
    else:
        try:
            rule = guess_rule(table, target)
        except IntakeError as problem:
            st.error(plain(problem), icon="🚫")
            st.stop()
    if rule is None:
        st.info("Choose which value means passed to go on.")
        st.stop()
    drawn(("passes", digest, file_name, rule), partial(share_passed, rule))
    numeric = about_table("numeric", table.numeric_columns)
    feature_options = [c for c in numeric if c != target]
    feature_guess = [c for c in about_table(("features", target), lambda: guess_features(table, target))
                     if c in feature_options]  # fmt: skip
    features = st.multiselect(
        "The grade columns", feature_options, key=keep(f"features.{digest}.{target}", feature_guess),
        help="Totals, averages and final scores are left out by default: they already contain the result.",
    )  # fmt: skip
    flip = st.multiselect(
        "Lower is better in (turned round, so a higher value always means a better grade)",
        features,
        key=keep(f"flip.{digest}.{target}", []),
        help="For scales where 1 is the best grade (Germany: 1–6 or 1–5).",
    )
    if any(table.read[c].letters for c in features):
        st.caption("Letter grades are read as grade points:")
        st.dataframe(pd.DataFrame([gb.LETTER_POINTS]), hide_index=True)
    on_scale = [c for c in features if not table.read[c].letters and not table.read[c].fraction]
    tops = {}
    if on_scale:
        st.markdown("**Top of each grade's scale** (where the file states it, it is used; correct any that is wrong)")
        top_cols = st.columns(min(len(on_scale), 4))
        for j, column in enumerate(on_scale):
            grade = table.read[column]
            top = top_cols[j % len(top_cols)].number_input(
                plain(f"{column}: out of"), min_value=grade.scale[0] + 0.01, step=1.0,
                key=keep(f"top.{digest}.{column}", float(grade.scale[1])), help=f"From the file: {grade.scale_source}.",
            )  # fmt: skip
            if float(top) != grade.scale[1]:
                tops[column] = float(top)

intake_of = (digest, file_name, rule, tuple(features), tuple(flip), tuple(sorted(tops.items())))
try:
    intake = shared(("intake", *intake_of), lambda: build(table, rule, features, flip, tops))
except IntakeError as problem:
    st.error(plain(problem), icon="🚫")
    st.stop()


def summary() -> None:
    """What the intake made of the file: rows used and left out, the rule, the columns, its notes."""
    st.dataframe(tables.what_was_read(intake, file_name, say), hide_index=True)
    for note in intake.notes:
        st.info(plain(say(note)), icon="ℹ️")


drawn(("summary", intake_of), summary)

# --- Training --------------------------------------------------------------------------------
config = TrainingConfig.from_values(values)
train_set, test_set = shared(("split", intake_of, values["test"], config.seed),
                              lambda: grades.split(intake.dataset, values["test"], config.seed))  # fmt: skip
st.subheader("2 · Training")
run_key = ("grades", intake_of, config, values["test"])
run = get_run(run_key, train_set.X, train_set.y, config, live_curve="objective", live_label="loss")
this_run = run_id(run_key, run)  # names what is drawn from it, for the shared caches
fit = shared((this_run, "fit"), lambda: grades.fit(intake, config, values["test"], run=run))
last = run.last_iteration
if run.stopped_early:
    st.info(say(f"Training stopped at iteration {last:,} ({stop_reason(run)})."))

# The prompts quiz students on the bundled sample; on a teacher's own upload the findings come first,
# and a switch puts the questions back for a teacher who wants to quiz the class on its own data.
quiz = upload is None or st.toggle(
    "Quiz the class on this file (the Predict: questions hide each finding until answered)",
    key=keep(f"quiz.{digest}"), disabled=not values["predict"],
)  # fmt: skip
prompts = Prompts(PAGE, values["predict"] and quiz, run_key, say)
cols = st.columns(4)
cols[0].metric("training rows / test rows", f"{len(train_set.y)} / {len(test_set.y)}")
cols[1].metric("loss (training, kept network)", say(f"{fit.train_loss:.4f}"))
cols[2].metric("accuracy (training)", f"{fit.train_accuracy:.0%}")
if fit.test_accuracy is None:
    cols[3].metric("accuracy (test)", "—")
elif prompts.choice(
    "train_or_test", "will the network do better on the students it trained on, or on the held-out ones?",
    (TRAINED, HELD_OUT, SAME), lambda: train_or_test(fit), "the accuracy on the held-out students",
):  # fmt: skip
    cols[3].metric("accuracy (test)", f"{fit.test_accuracy:.0%}")

elbow = shared((this_run, "elbow"), lambda: find_elbow(run.objective))


def loss_chart() -> tuple:
    curve = fit.test_curve
    figure = figures.error_figure(
        run.objective,
        elbow,
        label="loss",
        extra={"loss (held-out students)": curve.objective} if curve is not None else None,
        extra_iterations=curve.iterations if curve is not None else None,
    )
    return (figures.mark_best_iteration(figure, fit.best_iteration, last),
            describe.loss(run, None if curve is None else curve.objective, fit.best_iteration, elbow))  # fmt: skip


charts.show_shared(this_run, "loss_chart", loss_chart, decimal_comma=comma)
st.markdown(f"**Early stop.** {plain(say(grades.memorising_sentence(fit)))}")
st.caption(
    say(
        f"The loss (binary cross-entropy) falls fastest before the elbow at iteration {elbow:,}. When the held-out "
        f"students' loss turns up while the training loss keeps falling, the network is memorising rather than "
        f"learning; everything below uses the network kept at the dashed line. {METHOD}"
    )
)

student_names = who(train_set.row_labels or [f"row {r + 1}" for r in range(len(train_set.y))])
row = st.selectbox(
    "Show the node values for", range(len(student_names)), format_func=lambda r: student_names[r], key=keep(key("row"))
)
narrow = is_narrow()
charts.show_shared(
    (this_run, row, show_names, narrow),
    "animation",
    lambda: (
        diagram.training_animation(run, intake.features, row=row, row_names=student_names, narrow=narrow),
        describe.animation(run, student_names, intake.features),
    ),
    decimal_comma=comma,
)
st.caption(
    "Drag the slider or press play: edges thicken with |w| (blue positive, vermillion negative); the inputs are the scaled grades."
)
charts.show_shared(
    this_run,
    "weights_chart",
    lambda: (figures.weights_figure(run, intake.features), describe.weights(run, intake.features)),
    decimal_comma=comma,
)
st.caption(
    "Each line is one weight; the ones that keep growing carry the grades the network leans on (whether that holds "
    "beyond these students is the next section's question)."
)

# --- What it learned, and how sure -------------------------------------------------------------
st.subheader("3 · What the network learned, and how sure it is")
task_seconds = MAX_RUN_SECONDS / (grades.REPEATS + 1)  # the time cap, shared by the six runs
seeds = grades.repeat_seeds(config)
first, baseline, *more_repeats = work.steps(  # shown at the top of the page, with a Stop button
    (run_key, "findings"), f"Measuring what holds up: training {len(seeds)} times more, and a plain baseline",
    [((run_key, "repeat", seeds[0]), lambda: grades.repeat(intake, config, values["test"], seeds[0], task_seconds)),
     ((run_key, "baseline"), lambda: grades.fit(intake, grades.baseline_config(config), values["test"], max_seconds=task_seconds)),
     *(((run_key, "repeat", seed), partial(grades.repeat, intake, config, values["test"], seed, task_seconds)) for seed in seeds[1:])],
)  # fmt: skip
guessing = grades.against_guessing(fit)
found = grades.combine(intake, [r for r in (first, *more_repeats) if r is not None], guessing)
if len(found.seeds) < len(seeds):
    st.info(f"Stopped: what follows rests on {len(found.seeds)} of {len(seeds)} training runs"
            + ("" if baseline is not None else ", without the plain baseline") + ".")  # fmt: skip
if guessing is not None and not found.claims:  # said first and plainly: no claims follow
    st.warning(plain(say(guessing.sentence(found))), icon="🎲")
elif guessing is not None:
    st.markdown(f"**Better than guessing?** {plain(say(guessing.sentence(found)))}")
if found.claims and prompts.choice(
    "most_important", "which grade matters most for passing?", (*intake.features, CANNOT_TELL),
    lambda: most_important_grade(found), "what the network learned",
):  # fmt: skip

    def effects(sentence: bool) -> None:
        figure, words = charts.in_convention(figures.effects_figure(found.effects), describe.effects(found), comma)
        charts.show(figure, "effects_chart", words)
        if sentence:  # an answered prompt has just said it
            st.markdown(plain(say(found.sentence())))
        st.caption(
            f"Each bar: raise one grade for every student of the class (others held) by a tenth of its scale, or by "
            f"one letter for letter grades, and average the change in the chance of passing. Trained "
            f"{len(found.seeds)} times (seeds {found.seeds_text()}, each with its own split); the bar "
            "is the mean, the whiskers the lowest and highest run. Grey: the runs disagree on the direction."
        )

    drawn((run_key, "effects", found.seeds, prompts.enabled), partial(effects, not prompts.enabled))

if baseline is not None:
    st.markdown(f"**A plain baseline.** {plain(say(grades.baseline_sentence(fit, baseline)))}")
if baseline is not None and fit.test_loss is not None:
    st.dataframe(tables.versus_baseline(fit, baseline, say), hide_index=True)

if len(intake.features) >= 2:
    order = [intake.features.index(e.grade) for e in found.effects]
    map_cols = st.columns(2)
    x = map_cols[0].selectbox("Pass map: across", range(len(intake.features)),
                              format_func=lambda j: intake.features[j], key=keep(f"map_x.{digest}", order[0]))  # fmt: skip
    y_options = [j for j in range(len(intake.features)) if j != x]
    y = map_cols[1].selectbox("up", y_options, format_func=lambda j: intake.features[j],
                              key=keep(f"map_y.{digest}.{x}", order[1] if order[1] in y_options else y_options[0]))  # fmt: skip

    others = [c for j, c in enumerate(intake.features) if j not in (x, y)]
    noise = not found.claims

    def _pass_map():
        """The map and its words, from one grid."""
        data = intake.dataset
        grid = grades.pass_map(fit.params, intake, x, y)
        is_test = np.isin(np.array(data.row_labels, dtype=object), np.array(fit.test_set.row_labels, dtype=object))
        passed = data.y >= 0.5
        figure = figures.pass_map_figure(
            grid,
            grades.as_written(intake, x, data.raw_X[:, x]),
            grades.as_written(intake, y, data.raw_X[:, y]),
            passed,
            is_test,
            who(data.row_labels),
        )
        predicted = grades.chance_of_passing(fit.params, data, data.raw_X) >= 0.5
        return figure, describe.pass_map(grid, passed, predicted, others)

    charts.show_shared((this_run, x, y, show_names), "pass_map", _pass_map, decimal_comma=comma)
    st.caption(
        "The chance of passing over two grades"
        + (f", with {plain(', '.join(others))} held at the class median" if others else "")
        + (". These grades predict no better than guessing, so the map's shape is noise, not a rule" if noise else "")
        + ". The dark line is 50 %: on its blue side the network predicts a pass, on its orange side a fail (where "
        "there is no line, it predicts the same for the whole map). Dots are the students: blue circles passed, "
        "vermillion crosses failed; hollow ones were held out of training."
    )

if len(fit.test_set.y):
    st.markdown("**Who it gets wrong** (the held-out students, with the kept network)")
    st.dataframe(tables.two_by_two(grades.confusion(fit)), hide_index=True)
    wrong = grades.wrong_students(fit)
    if len(wrong):
        wrong["student"] = who(wrong["student"])
        wrong["chance of passing"] = [f"{p:.0%}" for p in wrong["chance of passing"]]
        if comma:  # the grades as the file writes them
            for column in (grades.written_name(intake, c) for c in intake.features):
                wrong[column] = [say(f"{v:g}") for v in wrong[column]]
        st.dataframe(wrong, hide_index=True)
    else:
        st.caption("It gets every held-out student right.")

# --- Predicting this year's students ---------------------------------------------------------
st.subheader("4 · This year's students")
params = fit.params
new_file = kept_upload(
    "grades.this_year", "Upload this year's grades (the same grade columns, no result needed)", "This year's grades"
)
if new_file is not None:
    new_name, new_bytes = new_file
    new_digest = hashlib.sha256(new_bytes).hexdigest()[:16]
    try:  # read once per content, like last year's file
        new_table = shared(("table", new_digest, new_name), lambda: read_or_refusal(new_bytes, new_name))
        if isinstance(new_table, IntakeError):
            raise new_table
        raw, complete = prediction_grades(intake, new_table)
    except IntakeError as problem:
        st.error(plain(problem), icon="🚫")
    else:
        chances = np.full(len(raw), np.nan)
        if complete.any():
            chances[complete] = grades.chance_of_passing(params, intake.dataset, raw[complete])
        out = grades.this_years_predictions(intake, new_table, chances, complete)
        out["chance of passing"] = [say(c) for c in out["chance of passing"]]
        shown = out if show_names else out.drop(columns=[c for c in new_table.identity if c in out])
        st.dataframe(shown, hide_index=True)
        missing = int((~complete).sum())
        if missing:
            st.warning(f"{missing} {'row misses a grade and gets' if missing == 1 else 'rows miss a grade and get'} "
                       "no prediction.")  # fmt: skip
        st.download_button(
            "Download the predictions (CSV, with names and the page's Student numbers)", grades.safe_csv(out),
            "predictions.csv", "text/csv", on_click="ignore",
        )  # fmt: skip

st.markdown("**Or try one student:**")
sliders = shared(("sliders", intake_of), lambda: tables.one_student_sliders(intake))
slider_cols = st.columns(min(len(sliders), 4))
one = [
    slider_cols[j % len(slider_cols)].slider(plain(label), low, high, key=keep(f"one.{digest}.{j}", typical))
    for j, (label, low, high, typical) in enumerate(sliders)
]
chance = float(grades.chance_of_passing(params, intake.dataset, np.array(one))[0])
st.metric("chance of passing", say(f"{chance:.1%}"), help="≥ 50% predicts a pass")
prompts.tally()
