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
