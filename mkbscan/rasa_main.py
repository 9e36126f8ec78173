"""`rasa` with one measured speed-up, used by `make run`, the tests and the benchmarks.

Rasa 3.6 validates every action server response with `jsonschema.validate`, which checks
the schema itself again on each call: about 27 ms of the ~63 ms of Rasa CPU per message in
our profile. A validator built once gives the same result in about 1.5 ms. Plain
`rasa run` keeps working without it, only slower.
"""

from __future__ import annotations

import contextlib
import sys
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
    with contextlib.suppress(ImportError):  # numpy without distutils: nothing to undo
        import numpy.distutils.log  # noqa: F401


def main() -> None:
    keep_log_level()
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
