"""The grades walk-through: a class's own CSV, a 3-2-1 network, and this year's predictions."""

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from nnviz import datasets, figures, grades
from nnviz.elbow import METHOD, find_elbow
from nnviz.intake import (
    MAX_GRADE_COLUMNS,
    MAX_ROWS,
    IntakeError,
    build,
    guess_features,
    guess_target,
    prediction_grades,
    read_table,
)
from nnviz.settings import GRADES as SPEC
from nnviz.training import TrainingConfig
from ui import url_state
from ui.runs import get_run, shared_figure
from ui.shell import ensure_navigation
from ui.text import plain

ensure_navigation()

PAGE = "grades"
RULES = {"bce": "cross-entropy (the walk-through's)", "trask": "the article's rule"}


def key(name: str) -> str:
    return url_state.key(PAGE, name)


url_state.load(SPEC, PAGE)
st.title("🎓 Will they pass? A network learns from grades")
st.caption(
    "Last years' grades for class assignments, written tests and oral tests, and whether each student passed the "
    "final exam. A small network learns the link, shows what it learned, and predicts this year's students."
)
url_state.show_warnings(PAGE)

with st.sidebar:
    st.header("Network")
    st.slider("Hidden units", 1, 8, key=key("hidden"))
    st.checkbox("Bias on every unit", key=key("bias"))
    st.selectbox("Learning rule", list(RULES), format_func=RULES.get, key=key("rule"))
    st.number_input("Learning rate", min_value=0.001, max_value=100.0, step=0.1, format="%.3f", key=key("lr"))
    st.number_input("Iterations", min_value=1, max_value=SPEC["iterations"].high, step=1_000, key=key("iterations"))
    st.number_input("Random seed (weights and split)", min_value=0, max_value=2**32 - 1, step=1, key=key("seed"))
    st.slider("Share of students held out for testing", 0.0, 0.5, step=0.05, key=key("test"))

values = {name: url_state.read(SPEC, PAGE, name) for name in SPEC}
url_state.save(SPEC, values)

# --- Getting the data in --------------------------------------------------------------------
st.subheader("1 · The class's grades")
upload = st.file_uploader(
    "Upload last years' grades as CSV (from Excel, Google Sheets or your school system)",
    type=["csv", "txt", "tsv"],
    help=f"One row per student: grade columns (0–100 or 0–1) and a pass/fail column. At most {MAX_ROWS:,} rows "
    f"and {MAX_GRADE_COLUMNS} grade columns. An uploaded file stays in your session only; it cannot travel in a link.",
)
sample_bytes = datasets.students_csv_path().read_bytes()
if upload is None:
    data_bytes, file_name = sample_bytes, "students.csv (sample)"
    st.info("Showing the bundled sample: 200 made-up students whose chance of passing depends most on written tests.")
else:
    data_bytes, file_name = upload.getvalue(), upload.name
st.download_button("Download the sample as a template", sample_bytes, "students.csv", "text/csv", on_click="ignore")

digest = hashlib.sha256(data_bytes).hexdigest()[:16]
try:
    table = read_table(data_bytes, file_name)
except IntakeError as problem:
    st.error(str(problem), icon="🚫")
    st.stop()

with st.expander("What was read, and the column mapping", expanded=upload is not None):
    st.dataframe(table.frame.head(20), hide_index=True)
    numeric = table.numeric_columns()
    target_guess = guess_target(table)
    target = st.selectbox(
        "The pass/fail column", table.columns, index=table.columns.index(target_guess), key=f"target.{digest}"
    )
    feature_options = [c for c in numeric if c != target]
    feature_guess = [c for c in guess_features(table, target) if c in feature_options]
    features = st.multiselect(
        "The grade columns", feature_options, default=feature_guess, key=f"features.{digest}.{target}"
    )

try:
    intake = build(table, target, features)
except IntakeError as problem:
    st.error(str(problem), icon="🚫")
    st.stop()

summary = [
    ("file", file_name),
    ("rows read", f"{intake.rows_read:,}"),
    ("rows used", f"{intake.rows_used:,}"),
    *((f"rows dropped: {reason}", f"{n:,}") for reason, n in intake.dropped.items()),
    ("grade columns", ", ".join(intake.features)),
    ("pass/fail column", intake.target),
    ("read as fractions (× 100)", ", ".join(c for c in intake.features if c in table.fractions) or "none"),
]
st.dataframe(pd.DataFrame(summary, columns=["", "value"]), hide_index=True)


def _fit_and_report(run):
    fit = grades.fit(intake, config, values["test"], run=run)
    return fit, grades.report(fit)


def _effects(run):
    effects = grades.grade_effects(run.final_params, intake.dataset)
    return effects, figures.effects_figure(effects)


# --- Training --------------------------------------------------------------------------------
config = TrainingConfig(
    (values["hidden"],), values["bias"], values["rule"], values["lr"], values["seed"], values["iterations"]
)
train_set, test_set = grades.split(intake.dataset, values["test"], config.seed)
st.subheader("2 · Training")
live = st.empty()
run_key = ("grades", digest, intake.target, intake.features, config, values["test"])
run = get_run(
    run_key,
    train_set.X,
    train_set.y,
    config,
    on_partial=lambda partial: live.plotly_chart(
        figures.error_figure(partial.objective, label="loss"), key=f"live{len(partial.objective)}"
    ),
)
live.empty()
fit, report = shared_figure((run_key, "fit", run.stopped_early), lambda: _fit_and_report(run))
last = run.last_iteration
if run.stopped_early:
    st.info(f"Training stopped at iteration {last:,} (the time limit for one run, or your stop).")

cols = st.columns(4)
cols[0].metric("training rows / test rows", f"{len(train_set.y)} / {len(test_set.y)}")
cols[1].metric("loss at the end (training)", f"{report['final_loss']:.4f}")
cols[2].metric("accuracy (training)", f"{report['train_accuracy']:.0%}")
cols[3].metric("accuracy (test)", "—" if report["test_accuracy"] is None else f"{report['test_accuracy']:.0%}")

elbow = find_elbow(run.objective)
extra = {"loss (test students)": fit.test_curve.objective} if fit.test_curve is not None else None
loss_figure = shared_figure(
    (run_key, "loss", run.stopped_early),
    lambda: figures.error_figure(
        run.objective,
        elbow,
        label="loss",
        extra=extra,
        extra_iterations=fit.test_curve.iterations if fit.test_curve else None,
    ),
)
st.plotly_chart(loss_figure, key="loss_chart")
st.caption(
    f"The loss (binary cross-entropy) falls fastest before the elbow at iteration {elbow:,}. If the test students' "
    f"loss turns up while the training loss keeps falling, the network is memorising rather than learning. {METHOD}"
)

student_names = (
    list(train_set.row_labels) if train_set.row_labels else [f"row {r + 1}" for r in range(len(train_set.y))]
)
row = st.selectbox(
    "Show the node values for", range(len(student_names)), format_func=lambda r: student_names[r], key=key("row")
)
animation = shared_figure(
    (run_key, "animation", row, run.stopped_early),
    lambda: figures.training_animation(run, intake.features, row=row, row_names=student_names),
)
st.plotly_chart(animation, key="animation")
st.caption(
    "Drag the slider or press play: edges thicken with |w| (blue positive, vermillion negative); the inputs are the scaled grades."
)
st.plotly_chart(
    shared_figure((run_key, "weights", run.stopped_early), lambda: figures.weights_figure(run, intake.features)),
    key="weights_chart",
)
st.caption("Each line is one weight; the ones that keep growing carry the grades that decide.")

# --- What it learned -----------------------------------------------------------------------
st.subheader("3 · What the network learned")
effects, effects_figure = shared_figure((run_key, "effects", run.stopped_early), lambda: _effects(run))
st.plotly_chart(effects_figure, key="effects_chart")
top = effects[0]
st.markdown(
    f"For a typical student (the class median in every grade), raising **{plain(top.grade)}** by 10 points moves "
    f"the chance of passing the most: from {top.base_chance:.0%} to {top.raised_chance:.0%}. Does that match your experience?"
)

# --- Predicting this year's students ---------------------------------------------------------
st.subheader("4 · This year's students")
params = run.final_params
new_file = st.file_uploader(
    "Upload this year's grades (the same grade columns, no result needed)", type=["csv", "txt", "tsv"], key="this_year"
)
if new_file is not None:
    try:
        new_table = read_table(new_file.getvalue(), new_file.name)
        raw, complete = prediction_grades(new_table, intake.features)
    except IntakeError as problem:
        st.error(str(problem), icon="🚫")
    else:
        chances = np.full(len(raw), np.nan)
        if complete.any():
            chances[complete] = grades.chance_of_passing(params, intake.dataset, raw[complete])
        out = new_table.frame.copy()
        out["chance of passing"] = [f"{c:.1%}" if np.isfinite(c) else "" for c in chances]
        out["prediction"] = np.where(~complete, "missing a grade", np.where(chances >= 0.5, "pass", "fail"))
        st.dataframe(out, hide_index=True)
        if (~complete).any():
            st.warning(f"{int((~complete).sum())} row(s) miss a grade and get no prediction.")
        st.download_button(
            "Download the predictions (CSV)", grades.safe_csv(out), "predictions.csv", "text/csv", on_click="ignore"
        )

st.markdown("**Or try one student:**")
typical = np.median(intake.dataset.raw_X, axis=0)
slider_cols = st.columns(min(len(intake.features), 4))
one = []
for j, column in enumerate(intake.features):
    low = float(min(0.0, intake.dataset.raw_X[:, j].min()))
    high = float(max(100.0, intake.dataset.raw_X[:, j].max()))
    one.append(slider_cols[j % len(slider_cols)].slider(column, low, high, float(typical[j]), key=f"one.{digest}.{j}"))
chance = float(grades.chance_of_passing(params, intake.dataset, np.array(one))[0])
st.metric("chance of passing", f"{chance:.1%}", help="≥ 50% predicts a pass")
