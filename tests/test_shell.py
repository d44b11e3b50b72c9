from streamlit.testing.v1 import AppTest


def broken_app():
    from ui.shell import run_page

    class Page:
        title = "broken"

        def run(self):
            raise ZeroDivisionError("a bug")

    run_page(Page())


def test_an_unexpected_error_becomes_a_friendly_box():
    at = AppTest.from_function(broken_app).run()
    assert not at.exception
    assert len(at.error) == 1 and "something went wrong" in at.error[0].value
    assert "ZeroDivisionError" not in at.error[0].value


def app_reporting_its_turn():
    import streamlit as st

    from ui.shell import run_page
    from ui.turns import SCRIPTS

    class Page:
        title = "turn"

        def run(self):
            st.write(f"in a turn: {SCRIPTS._holds()}")

    run_page(Page())
    st.write(f"after the page: {SCRIPTS._holds()}")


def test_a_page_runs_in_its_turn_and_gives_it_back():
    at = AppTest.from_function(app_reporting_its_turn).run()
    assert [m.value for m in at.markdown] == ["in a turn: True", "after the page: False"]
