"""`rasa` with one measured speed-up, used by `make run`/`make shell`, tests and benchmarks.

Rasa 3.6 validates every action server response with `jsonschema.validate`, which checks
the schema itself again on each call: about 27 ms of the ~63 ms of Rasa CPU per message in
our profile. A validator built once gives the same result in about 1.5 ms. Plain
`rasa run` keeps working without it, only slower.

`shell` and `run` also start without library deprecation notices (quiet_library_warnings).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        error = next(iter(_validator().iter_errors(result)), None)
        if error is not None:
            raise error
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise


def apply() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def keep_log_level() -> None:
    """Import numpy.distutils.log before Rasa sets up logging.

    Importing it sets the root logger to WARNING (numpy's distutils shim calls
    `set_verbosity(0, force=True)`); scikit-learn models load through skops, which
    imports it lazily, so the log level dropped while the model was loading and
    "Rasa server is up and running" was never logged. Imported first, Rasa's own logging
    set-up comes after it and wins.
    """
    # ImportError: numpy without distutils, nothing to undo. DeprecationWarning: numpy's
    # notice that numpy.distutils is deprecated; imported on purpose, so it says nothing.
    with contextlib.suppress(ImportError), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import numpy.distutils.log  # noqa: F401


# Deprecation notices raised inside libraries: nothing a user of the shell can act on.
LIBRARY_NOISE: tuple[type[Warning], ...] = (DeprecationWarning, PendingDeprecationWarning,
                                            FutureWarning)
# A filter's module pattern is matched at the start of the module name the warning is
# attributed to: everything but our own packages.
NOT_OUR_CODE = r"(?!(?:mkbscan|actions)(?:\.|$))"
QUIET_COMMANDS = frozenset({"shell", "run"})


def wants_quiet(argv: list[str]) -> bool:
    """`rasa shell` and `rasa run` start quiet; with --debug (Rasa's own switch) they do not."""
    debug = bool({"-vv", "--debug"} & set(argv)) or os.environ.get("LOG_LEVEL") == "DEBUG"
    return len(argv) > 1 and argv[1] in QUIET_COMMANDS and not debug


def _ignore_library_noise() -> None:
    for category in LIBRARY_NOISE:
        warnings.filterwarnings("ignore", category=category, module=NOT_OUR_CODE)


def quiet_library_warnings() -> None:
    """Hide library deprecation notices in this process; our own code's warnings stay.

    Python hides most of them by default and PYTHONWARNINGS could too, but two filters go
    in front of those: importing sanic adds `once` for every DeprecationWarning
    (sanic/app.py), and Rasa's set-up adds `once` for every UserWarning
    (rasa/utils/common.py, _filter_warnings), which pyparsing's deprecation notices also
    are. About twenty pyparsing, click, pkg_resources and SQLAlchemy notices came before
    the shell's first prompt. A filter added later goes in front, so ours go in after
    sanic's import and again after Rasa's set-up.
    """
    import sanic  # noqa: F401

    _ignore_library_noise()
    import rasa.utils.common as rasa_common

    rasa_filters = rasa_common._filter_warnings

    def rasa_filters_then_ours(*args: Any, **kwargs: Any) -> None:
        rasa_filters(*args, **kwargs)
        _ignore_library_noise()

    rasa_common._filter_warnings = rasa_filters_then_ours


def main() -> None:
    keep_log_level()
    if wants_quiet(sys.argv):
        quiet_library_warnings()
    # Rasa sets this itself before it imports TensorFlow, but apply() imports it earlier:
    # without it TensorFlow's C++ start-up notices (CUDA, oneDNN, CPU features) show.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
