"""ctypes declarations of vigil.h (the C ABI of libvigil_c), and how the library is found.

Internal: use the names exported by the ``vigil`` package instead.
"""
import ctypes
import ctypes.util
import glob
import os

ABI_VERSION = 0  # VIGIL_ABI_VERSION this binding was written for

# enum vigil_status
OK = 0
EPARSE = -1
EINVALID_PLAN = -2
EINVALID_INPUT = -3
EUNKNOWN_NAME = -4
EIO = -5
EOUT_OF_RANGE = -6
EREFUSED = -7
ETAMPERED = -8
ETOO_LARGE = -9
ENOMEM = -64
EBUFFER_TOO_SMALL = -65
EINTERNAL = -66

GRADES = ("none", "IV", "III", "II", "I")  # enum vigil_grade, by value
WARNINGS = ("none", "blue", "yellow", "orange", "red")  # enum vigil_warning, by value
MODIFIERS = ("possible_grade", "sensitive", "key_period", "spreading", "wide_or_complex", "controlled")
TIME_NONE = -(2 ** 63)  # VIGIL_TIME_NONE
PRODUCTS = ("drug", "device")  # enum vigil_product, by value
FACTS = (  # enum vigil_fact, by value
    "rare_cases",
    "severe_cases",
    "deaths",
    "similar_cases_nearby",
    "provinces_with_II",
    "prefectures_with_III",
    "counties_with_III",
    "counties_with_IV",
    "streets_with_IV",
)
OUT_OF_SCOPE_BIT = 1 << 63


class vigil_facts(ctypes.Structure):
    _fields_ = [
        ("rare_cases", ctypes.c_uint32),
        ("severe_cases", ctypes.c_uint32),
        ("deaths", ctypes.c_uint32),
        ("similar_cases_nearby", ctypes.c_int32),
        ("provinces_with_II", ctypes.c_uint32),
        ("prefectures_with_III", ctypes.c_uint32),
        ("counties_with_III", ctypes.c_uint32),
        ("counties_with_IV", ctypes.c_uint32),
        ("streets_with_IV", ctypes.c_uint32),
        ("product", ctypes.c_int32),
    ]


class vigil_assessment(ctypes.Structure):
    _fields_ = [
        ("grade", ctypes.c_int32),
        ("computed_grade", ctypes.c_int32),
        ("in_scope", ctypes.c_int32),
        ("winner", ctypes.c_int32),
        ("match_count", ctypes.c_int32),
        ("overridden", ctypes.c_int32),
        ("warning", ctypes.c_int32),
        ("warning_number", ctypes.c_int32),
        ("response", ctypes.c_int32),
        ("response_base", ctypes.c_int32),
        ("matched", ctypes.c_uint64),
    ]


class vigil_modifiers(ctypes.Structure):
    _fields_ = [(name, ctypes.c_int32) for name in MODIFIERS]


class vigil_override(ctypes.Structure):
    _fields_ = [
        ("grade", ctypes.c_int32),
        ("by", ctypes.c_char_p),
        ("reason", ctypes.c_char_p),
        ("at", ctypes.c_char_p),
        ("clause", ctypes.c_char_p),
    ]


class vigil_local_event(ctypes.Structure):
    _fields_ = [
        ("product", ctypes.c_int32),
        ("product_id", ctypes.c_char_p),
        ("area", ctypes.c_char_p),
        ("grade", ctypes.c_int32),
    ]


class vigil_case_report(ctypes.Structure):
    _fields_ = [
        ("report_id", ctypes.c_char_p),
        ("patient_id", ctypes.c_char_p),
        ("product_kind", ctypes.c_int32),
        ("product_id", ctypes.c_char_p),
        ("product_name", ctypes.c_char_p),
        ("batch", ctypes.c_char_p),
        ("maker", ctypes.c_char_p),
        ("dosage_form", ctypes.c_char_p),
        ("strength", ctypes.c_char_p),
        ("onset_time", ctypes.c_int64),
        ("received_time", ctypes.c_int64),
        ("area_code", ctypes.c_char_p),
        ("flags", ctypes.c_uint32),
    ]


class vigil_detector_counts(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in ("taken", "duplicates", "too_late", "alerts", "kept")]


# enum vigil_report_flag, by value (bit 1 << value of vigil_case_report.flags)
REPORT_FLAGS = ("death", "life_threatening", "disability", "organ_damage", "hospitalisation", "congenital_anomaly",
                "other_serious", "rare")
AREA_LEVELS = ("province", "prefecture", "county", "street")  # enum vigil_area_level, by value
DETECTOR_KEEP_ALL = -1  # VIGIL_DETECTOR_KEEP_ALL


class vigil_detector(ctypes.Structure):
    """Opaque."""


class vigil_plan(ctypes.Structure):
    """Opaque."""


class vigil_calendar(ctypes.Structure):
    """Opaque."""


class vigil_incident(ctypes.Structure):
    """Opaque."""


plan_p = ctypes.POINTER(vigil_plan)
calendar_p = ctypes.POINTER(vigil_calendar)
incident_p = ctypes.POINTER(vigil_incident)
detector_p = ctypes.POINTER(vigil_detector)
# Strings the library allocates come back as void pointers, read, then freed with vigil_string_free.
str_out = ctypes.POINTER(ctypes.c_void_p)

_PROTOTYPES = {
    # name: (restype, argtypes)
    "vigil_detector_create": (ctypes.c_int, [ctypes.POINTER(detector_p), plan_p, ctypes.c_int32, ctypes.c_uint32]),
    "vigil_detector_free": (None, [detector_p]),
    "vigil_detector_feed": (
        ctypes.c_int,
        [str_out, ctypes.POINTER(ctypes.c_size_t), detector_p, ctypes.POINTER(vigil_case_report), ctypes.c_size_t],
    ),
    "vigil_detector_clusters_json": (ctypes.c_int, [str_out, detector_p, ctypes.c_int]),
    "vigil_detector_stats": (ctypes.c_int, [ctypes.POINTER(vigil_detector_counts), detector_p]),
    "vigil_version_number": (ctypes.c_int32, []),
    "vigil_version_string": (ctypes.c_char_p, []),
    "vigil_abi_version": (ctypes.c_int32, []),
    "vigil_status_string": (ctypes.c_char_p, [ctypes.c_int]),
    "vigil_last_error": (ctypes.c_char_p, []),
    "vigil_last_status": (ctypes.c_int, []),
    "vigil_last_error_copy": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    "vigil_string_free": (None, [ctypes.c_void_p]),
    "vigil_grade_string": (ctypes.c_char_p, [ctypes.c_int32]),
    "vigil_product_string": (ctypes.c_char_p, [ctypes.c_int32]),
    "vigil_fact_string": (ctypes.c_char_p, [ctypes.c_int32]),
    "vigil_plan_builtin": (ctypes.c_int, [ctypes.POINTER(plan_p), ctypes.c_char_p]),
    "vigil_plan_load_file": (ctypes.c_int, [ctypes.POINTER(plan_p), ctypes.c_char_p]),
    "vigil_plan_load_buffer": (ctypes.c_int, [ctypes.POINTER(plan_p), ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]),
    "vigil_plan_free": (None, [plan_p]),
    "vigil_builtin_plan_count": (ctypes.c_int32, []),
    "vigil_builtin_plan_name": (ctypes.c_char_p, [ctypes.c_int32]),
    "vigil_plan_id": (ctypes.c_char_p, [plan_p]),
    "vigil_plan_criterion_count": (ctypes.c_int32, [plan_p]),
    "vigil_plan_criterion_clause": (ctypes.c_char_p, [plan_p, ctypes.c_int32]),
    "vigil_plan_info_json": (ctypes.c_int, [str_out, plan_p]),
    "vigil_classify": (ctypes.c_int, [ctypes.POINTER(vigil_assessment), str_out, plan_p, ctypes.POINTER(vigil_facts)]),
    "vigil_classify_ex": (
        ctypes.c_int,
        [
            ctypes.POINTER(vigil_assessment),
            str_out,
            plan_p,
            ctypes.POINTER(vigil_facts),
            ctypes.POINTER(vigil_modifiers),
            ctypes.POINTER(vigil_override),
        ],
    ),
    "vigil_warning_string": (ctypes.c_char_p, [ctypes.c_int32]),
    "vigil_classify_batch": (
        ctypes.c_int,
        [
            ctypes.c_void_p,  # uint8_t *grades_out
            ctypes.c_void_p,  # uint64_t *matched_out
            plan_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_void_p),  # const uint32_t *const *fact_columns
            ctypes.c_size_t,
            ctypes.c_void_p,  # const uint8_t *products
        ],
    ),
    "vigil_plan_fact_count": (ctypes.c_size_t, [plan_p]),
    "vigil_plan_fact_name": (ctypes.c_char_p, [plan_p, ctypes.c_size_t]),
    "vigil_plan_fact_label": (ctypes.c_char_p, [plan_p, ctypes.c_size_t, ctypes.c_char_p]),
    "vigil_plan_fact_kind": (ctypes.c_int32, [plan_p, ctypes.c_size_t]),
    "vigil_plan_fact_index": (ctypes.c_int, [ctypes.POINTER(ctypes.c_size_t), plan_p, ctypes.c_char_p]),
    "vigil_plan_product_count": (ctypes.c_size_t, [plan_p]),
    "vigil_plan_product_id": (ctypes.c_char_p, [plan_p, ctypes.c_size_t]),
    "vigil_plan_match_words": (ctypes.c_size_t, [plan_p]),
    "vigil_classify_columns": (
        ctypes.c_int,
        [
            ctypes.c_void_p,  # uint8_t *grades_out
            ctypes.c_void_p,  # uint64_t *matched_out
            ctypes.c_void_p,  # uint8_t *warnings_out
            ctypes.c_void_p,  # uint8_t *responses_out
            plan_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_void_p),  # const uint32_t *const *columns (the plan's fact order)
            ctypes.c_size_t,
            ctypes.c_void_p,  # const uint8_t *products
        ],
    ),
    "vigil_classify_batch_ex": (
        ctypes.c_int,
        [
            ctypes.c_void_p,  # uint8_t *grades_out
            ctypes.c_void_p,  # uint64_t *matched_out
            ctypes.c_void_p,  # uint8_t *warnings_out
            ctypes.c_void_p,  # uint8_t *responses_out
            plan_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_void_p),  # const uint32_t *const *fact_columns
            ctypes.c_size_t,
            ctypes.c_void_p,  # const uint8_t *products
            ctypes.POINTER(ctypes.c_void_p),  # const uint8_t *const *modifier_columns
            ctypes.c_size_t,
        ],
    ),
    "vigil_rollup_values": (
        ctypes.c_int,
        [
            ctypes.c_void_p,  # uint32_t *values_out
            ctypes.c_size_t,
            str_out,
            plan_p,
            ctypes.POINTER(vigil_local_event),
            ctypes.c_size_t,
            ctypes.c_int32,
            ctypes.c_char_p,
            ctypes.c_char_p,
        ],
    ),
    "vigil_rollup": (
        ctypes.c_int,
        [
            ctypes.POINTER(vigil_facts),
            str_out,
            ctypes.POINTER(vigil_local_event),
            ctypes.c_size_t,
            ctypes.c_int32,
            ctypes.c_char_p,
            ctypes.c_char_p,
        ],
    ),
    "vigil_calendar_builtin": (ctypes.c_int, [ctypes.POINTER(calendar_p)]),
    "vigil_calendar_load_file": (ctypes.c_int, [ctypes.POINTER(calendar_p), ctypes.c_char_p]),
    "vigil_calendar_load_buffer": (
        ctypes.c_int,
        [ctypes.POINTER(calendar_p), ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p],
    ),
    "vigil_calendar_free": (None, [calendar_p]),
    "vigil_calendar_provisional": (ctypes.c_int, [ctypes.POINTER(calendar_p), calendar_p]),
    "vigil_calendar_is_working_day": (ctypes.c_int, [ctypes.POINTER(ctypes.c_int), calendar_p, ctypes.c_int64]),
    "vigil_calendar_add_working_days": (
        ctypes.c_int,
        [ctypes.POINTER(ctypes.c_int64), calendar_p, ctypes.c_int64, ctypes.c_int32],
    ),
    "vigil_deadlines_json": (
        ctypes.c_int,
        [str_out, plan_p, calendar_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int64],
    ),
    "vigil_audit_json": (ctypes.c_int, [str_out, plan_p, calendar_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int64]),
    "vigil_incident_create": (
        ctypes.c_int,
        [
            ctypes.POINTER(incident_p),
            plan_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_int64,
            ctypes.c_char_p,
            ctypes.c_char_p,
        ],
    ),
    "vigil_incident_create_v2": (
        ctypes.c_int,
        [
            ctypes.POINTER(incident_p),
            plan_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_int64,
            ctypes.c_int64,
            ctypes.c_char_p,
            ctypes.c_char_p,
        ],
    ),
    "vigil_incident_open": (ctypes.c_int, [ctypes.POINTER(incident_p), plan_p, ctypes.c_char_p]),
    "vigil_incident_plan_id": (ctypes.c_int, [str_out, ctypes.c_char_p]),
    "vigil_incident_free": (None, [incident_p]),
    "vigil_incident_apply": (ctypes.c_int, [str_out, incident_p, ctypes.c_char_p, ctypes.c_size_t]),
    "vigil_incident_state_json": (ctypes.c_int, [str_out, incident_p]),
    "vigil_incident_replay_json": (ctypes.c_int, [str_out, plan_p, ctypes.c_char_p, ctypes.c_size_t]),
}


def _candidates():
    env = os.environ.get("VIGIL_LIBRARY")
    if env:
        yield env  # an explicit choice: no fallback if it fails
        return
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [here, os.path.dirname(here)]
    try:  # written by `cmake --install`: the libdir of the same installation
        from vigil import _install  # type: ignore

        dirs.append(_install.LIBDIR)
    except ImportError:
        pass
    # a source checkout (bindings/python/vigil): the build tree of scripts/setup.sh
    dirs.append(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "build", "src", "capi"))
    for d in dirs:
        for pattern in ("libvigil_c.so.%d" % ABI_VERSION, "libvigil_c.so", "libvigil_c.%d.dylib" % ABI_VERSION,
                        "libvigil_c.dylib", "vigil_c.dll"):
            for p in sorted(glob.glob(os.path.join(d, pattern))):
                yield p
    found = ctypes.util.find_library("vigil_c")
    yield found or "libvigil_c.so.%d" % ABI_VERSION
    # cmake --install's default prefix, before ldconfig has been run
    for d in ("/usr/local/lib", "/usr/local/lib64") + tuple(glob.glob("/usr/local/lib/*-linux-gnu")):
        p = os.path.join(d, "libvigil_c.so.%d" % ABI_VERSION)
        if os.path.exists(p):
            yield p


def load():
    """Load libvigil_c: $VIGIL_LIBRARY, else next to this package, else the libdir of the cmake
    installation that put this package in place, else a source checkout's build tree, else the system's
    loader (and /usr/local/lib)."""
    errors = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append("%s: %s" % (path, e))
            continue
        for name, (restype, argtypes) in _PROTOTYPES.items():
            try:
                fn = getattr(lib, name)
            except AttributeError:
                raise ImportError("%s lacks %s: a libvigil_c older than this binding" % (path, name))
            fn.restype = restype
            fn.argtypes = argtypes
        if lib.vigil_abi_version() != ABI_VERSION:
            raise ImportError("%s has ABI %d; this binding needs ABI %d" % (path, lib.vigil_abi_version(), ABI_VERSION))
        lib._vigil_path = path
        return lib
    raise ImportError("cannot load libvigil_c (set VIGIL_LIBRARY to its path): " + "; ".join(errors))


lib = load()
