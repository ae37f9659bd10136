"""vigil: grade drug and medical-device safety incidents against emergency plans.

A pure-Python binding (ctypes, standard library only) over libvigil_c, the C ABI of vigil
(include/vigil/vigil.h). numpy is used when installed, never required.

    import vigil
    plan = vigil.load_plan("yuzhong")
    a = plan.classify(deaths=2, similar_cases_nearby=True)
    print(a.grade, a.winner)          # III yuzhong 1.5.3(2)
    print(a.warning, a.response)      # yellow 3

The library is found through $VIGIL_LIBRARY (a path), else next to this package, else by the
system's loader (libvigil_c.so.0). Errors are raised as vigil.Error(status, message).
"""
from ._capi import FACTS, GRADES, MODIFIERS, OUT_OF_SCOPE_BIT, PRODUCTS, WARNINGS
from ._capi import lib as _lib
from ._core import (
    Assessment,
    Error,
    Plan,
    builtin_plans,
    classify,
    classify_batch,
    classify_batch_ex,
    classify_columns,
    load_plan,
    rollup,
    status_name,
    version,
    version_number,
)
from ._detect import Detector
from ._incident import LOCAL, Calendar, Incident, audit, deadlines, replay

__version__ = version()
library_path = _lib._vigil_path

__all__ = [
    "Assessment",
    "Calendar",
    "Detector",
    "Error",
    "Incident",
    "LOCAL",
    "MODIFIERS",
    "WARNINGS",
    "audit",
    "deadlines",
    "replay",
    "FACTS",
    "GRADES",
    "OUT_OF_SCOPE_BIT",
    "PRODUCTS",
    "Plan",
    "builtin_plans",
    "classify",
    "classify_batch",
    "classify_batch_ex",
    "classify_columns",
    "library_path",
    "load_plan",
    "rollup",
    "status_name",
    "version",
    "version_number",
]
