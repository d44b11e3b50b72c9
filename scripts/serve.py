"""`streamlit run`, with the training kernel compiling from the moment the server process starts.

    python scripts/serve.py app.py [Streamlit's options]     # is: streamlit run app.py [options]

A plain ``streamlit run`` runs nothing of the app until the first visitor's page, so on a fresh
install (or a hosted restart that lost numba's cache) that visitor would wait for the compiler.
Here the warm-up (``ui/warmup.py``) starts in this same process before Streamlit does, and the
app's own ``warmup.start()`` finds it already under way.  ``scripts/app.sh``,
``scripts/serve-class.sh`` and the browser tests start the app this way.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the app's folder, where Streamlit puts it too

from ui import warmup  # noqa: E402

warmup.start()

from streamlit.web.cli import main  # noqa: E402

sys.argv = ["streamlit", "run", *sys.argv[1:]]
main(prog_name="streamlit")
