"""Tests of the Python binding over libvigil_c, run by ctest (python_binding) with:
  VIGIL_LIBRARY   the library built
  VIGIL_TEST_DATA tests/data of the source tree (grading tables, bad plans, roll-up cases)
  VIGIL_PLAN_DIR  data/plans of the source tree
The grading and roll-up cases are the conformance tables the C++ tests use: the binding must give
the same answers, one at a time and in batches.
"""
import array
import csv
import datetime
import io
import json
import os
import random
import tempfile
import threading
import unittest

import vigil

DATA = os.environ.get("VIGIL_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "data"))
PLANS = os.environ.get("VIGIL_PLAN_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "plans"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(PLANS)))  # the source tree (examples/)

try:
    import numpy
except ImportError:
    numpy = None
# ctest's python_binding_numpy sets it: there, numpy missing is a failure, not a skip.
REQUIRE_NUMPY = os.environ.get("VIGIL_REQUIRE_NUMPY") == "1"
EXAMPLES = os.path.join(DATA, "..", "..", "examples")


def read_table(path):
    """Rows of a '|'-separated table file, comments and blank lines skipped."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            rows.append((n, [c.strip() for c in line.rstrip("\n").split("|")]))
    return rows


def parse_facts(text):
    facts = {}
    for tok in text.split():
        k, v = tok.split("=")
        if k == "product":
            facts[k] = v
        elif v in ("true", "false"):
            facts[k] = v == "true"
        else:
            facts[k] = int(v)
    return facts


def grading_cases():
    """(plan id, line, facts, expected grade, expected matches) of tests/data/grading/*.txt."""
    cases = []
    for plan in ("yuzhong", "guiyang"):
        for n, cols in read_table(os.path.join(DATA, "grading", plan + ".txt")):
            matches = [m for m in cols[2].split(";") if m]
            cases.append((plan, n, parse_facts(cols[0]), cols[1], matches))
    return cases


class DetectorTest(unittest.TestCase):
    """vigil.Detector over vigil_detector_*: reports in batches, alerts and clusters as the command gives them."""

    def reports(self):
        with open(os.path.join(ROOT, "examples", "reports.csv"), newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def test_alerts_in_arrival_order(self):
        d = vigil.Detector("guiyang", levels=["county"])
        alerts = []
        rows = self.reports()
        for i in range(0, len(rows), 5):
            alerts += d.feed(rows[i:i + 5])
        self.assertEqual([(a["alert"], a["trigger"], a["batch"], a["area_code"]) for a in alerts],
                         [("warning yellow", "ADR2026-0003", "C260815", "520102"),
                          ("warning red", "ADR2026-0006", "C260815", "520102"),
                          ("grade IV", "ADR2026-0009", "C260815", "520102"),
                          ("grade III", "ADR2026-0012", "L2609A", "520103")])
        self.assertEqual(d.counts, {"taken": 35, "duplicates": 1, "too_late": 0, "alerts": 4, "kept": 35})
        red = alerts[1]
        self.assertEqual((red["warning"], red["rare_cases"], red["first_crossed"]["red"]),
                         ("red", 6, "2026-09-09T15:00:00+08:00"))

    def test_archive_clusters(self):
        d = vigil.Detector("guiyang", keep_all=True, levels=["county"])
        d.feed(self.reports())
        got = [(c["product_id"], c["batch"], c["grade"], c["warning"]) for c in d.clusters()]
        self.assertEqual(got, [("H20264002", "L2609A", "III", "none"), ("H20263001", "C260815", "IV", "red")])

    def test_report_values(self):
        d = vigil.Detector("guiyang")
        base = {"report_id": "R1", "patient_id": "P1", "product_kind": "drug", "product_id": "H1", "product_name": "头孢",
                "batch": "B1", "onset_time": datetime.datetime(2026, 9, 1, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
                "received_time": "2026-09-02T08:00:00+08:00", "area_code": "520102", "rare": True}
        self.assertEqual(d.feed([base]), [])
        self.assertEqual(d.feed([dict(base, report_id="R2", patient_id="P2", onset_time=1788220800 + 3600, rare="1")]), [])
        a = d.feed([dict(base, report_id="R3", patient_id="P3", rare="true")])
        # a county's code: the clusters of the county, its prefecture and its province, the finest first
        self.assertEqual([(x["alert"], x["area_level"]) for x in a],
                         [("warning yellow", "county"), ("warning yellow", "prefecture"), ("warning yellow", "province")])
        self.assertEqual(d.counts["taken"], 3)

    def test_bad_reports(self):
        d = vigil.Detector("guiyang")
        good = {"report_id": "R1", "patient_id": "P1", "product_kind": "drug", "product_id": "H1", "product_name": "头孢",
                "batch": "B1", "onset_time": "2026-09-01T08:00:00+08:00", "received_time": "2026-09-02T08:00:00+08:00",
                "area_code": "520102"}
        cases = [
            (dict(good, area_code="5201"), vigil.Error, "reports[1].area_code"),
            (dict(good, batch=""), vigil.Error, "reports[1].batch: empty"),
            (dict(good, received_time="2026-08-01T08:00:00+08:00"), vigil.Error, "reports[1].received_time: received before the onset"),
            (dict(good, product_kind=9), vigil.Error, "reports[1].product_kind: 9"),
            (dict(good, product_kind="vaccine"), ValueError, "not one of the plan's products"),
            (dict(good, onset_time="2026-09-01T08:00:00"), ValueError, "has no offset"),
            (dict(good, death="yes"), ValueError, "reports[1].death: expected true, false, 1 or 0"),
        ]
        for bad, exc, says in cases:
            with self.assertRaises(exc) as e:
                d.feed([good, bad])
            self.assertIn(says, str(e.exception))
        self.assertEqual(d.counts["taken"], 0)  # nothing of a refused batch was fed
        with self.assertRaises(vigil.Error) as e:
            vigil.Detector(vigil.Plan.from_file(os.path.join(DATA, "plans", "minimal.json")))
        self.assertEqual(e.exception.status_name, "invalid plan")
        with self.assertRaises(ValueError):
            vigil.Detector("guiyang", levels=["village"])
        with self.assertRaises(vigil.Error):
            vigil.Detector("guiyang", max_delay_days=4000)


class VersionTest(unittest.TestCase):
    def test_versions_agree(self):
        major, minor, patch = (int(x) for x in vigil.version().split("."))
        self.assertEqual(vigil.version_number(), major * 10000 + minor * 100 + patch)
        self.assertEqual(vigil.__version__, vigil.version())
        self.assertTrue(os.path.exists(vigil.library_path) or "/" not in vigil.library_path)

    def test_status_names(self):
        self.assertEqual(vigil.status_name(0), "ok")
        self.assertEqual(vigil.status_name(-2), "invalid plan")
        self.assertEqual(vigil.status_name(-65), "buffer too small")
        self.assertEqual(vigil.status_name(99), "unknown status")


class PlanTest(unittest.TestCase):
    def test_builtin_plans(self):
        names = vigil.builtin_plans()
        self.assertIn("yuzhong", names)
        self.assertIn("guiyang", names)
        for name in names:
            p = vigil.Plan.builtin(name)
            self.assertEqual(p.id, name)
            info = p.info()
            self.assertEqual(info["info"]["id"], name)
            self.assertEqual([c["clause"] for c in info["criteria"]], list(p.criteria))
            self.assertEqual([c["index"] for c in info["criteria"]], list(range(len(p.criteria))))

    def test_file_and_text(self):
        p = vigil.Plan.from_file(os.path.join(PLANS, "yuzhong.json"))
        self.assertEqual(p.criteria, vigil.Plan.builtin("yuzhong").criteria)
        with open(os.path.join(DATA, "plans", "minimal.json"), encoding="utf-8") as f:
            text = f.read()
        m = vigil.Plan.from_json(text, "minimal.json")
        self.assertEqual(m.id, "minimal")
        self.assertEqual(m.criteria, ("minimal 2(1)",))
        self.assertEqual(vigil.load_plan("guiyang").id, "guiyang")

    def test_unknown_name(self):
        with self.assertRaises(vigil.Error) as cm:
            vigil.Plan.builtin("atlantis")
        self.assertEqual(cm.exception.status, -4)
        self.assertEqual(cm.exception.status_name, "unknown name")
        self.assertIn("atlantis", cm.exception.message)
        self.assertIn("yuzhong", cm.exception.message)  # the ids there are

    def test_missing_file(self):
        with self.assertRaises(vigil.Error) as cm:
            vigil.Plan.from_file(os.path.join(PLANS, "no-such-plan.json"))
        self.assertEqual(cm.exception.status, -5)
        self.assertIn("no-such-plan.json", cm.exception.message)

    def test_bad_text(self):
        with self.assertRaises(vigil.Error) as cm:
            vigil.Plan.from_json('{"id": ', "broken.json")
        self.assertEqual(cm.exception.status, -1)
        self.assertIn("broken.json", cm.exception.message)
        with self.assertRaises(vigil.Error) as cm:
            vigil.Plan.from_json("{}")
        self.assertEqual(cm.exception.status, -2)
        self.assertIn("<buffer>", cm.exception.message)

    def test_bad_plans_table(self):
        """Every file of tests/data/plans/bad is refused with its JSON pointer and message."""
        rows = read_table(os.path.join(DATA, "plans", "bad", "expected.txt"))
        self.assertGreater(len(rows), 10)
        for n, cols in rows:
            name, pointer, message = cols[0], cols[1], "|".join(cols[2:]).strip()  # a message may hold "|"
            path = os.path.join(DATA, "plans", "bad", name + ".json")
            with self.subTest(name=name, line=n):
                with self.assertRaises(vigil.Error) as cm:
                    vigil.Plan.from_file(path)
                self.assertIn(cm.exception.status, (-1, -2, -9))
                self.assertIn(message, cm.exception.message)
                if pointer != "/":
                    self.assertIn(pointer, cm.exception.message)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                with self.assertRaises(vigil.Error) as cm2:
                    vigil.Plan.from_json(text, name + ".json")
                self.assertEqual(cm2.exception.status, cm.exception.status)
                self.assertIn(name + ".json", cm2.exception.message)

    def test_type_errors(self):
        with self.assertRaises(TypeError):
            vigil.Plan.builtin(42)
        with self.assertRaises(ValueError):
            vigil.Plan(None)


class ClassifyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plans = {name: vigil.Plan.builtin(name) for name in ("yuzhong", "guiyang")}
        cls.cases = grading_cases()

    def test_conformance_tables(self):
        self.assertGreater(len(self.cases), 50)
        for plan, n, facts, grade, matches in self.cases:
            with self.subTest(plan=plan, line=n, facts=facts):
                a = self.plans[plan].classify(facts)
                if grade == "out_of_scope":
                    self.assertFalse(a.in_scope)
                    self.assertEqual(a.grade, "none")
                    self.assertEqual(a.matched_bits, vigil.OUT_OF_SCOPE_BIT)
                    self.assertIn("scope_note", a.explanation)
                else:
                    self.assertTrue(a.in_scope)
                    self.assertEqual(a.grade, grade)
                    self.assertEqual(a.computed_grade, grade)
                self.assertEqual(a.matches, matches)
                self.assertEqual(a.winner, matches[0] if matches else None)
                criteria = self.plans[plan].criteria
                if a.in_scope:
                    self.assertEqual(sorted(a.matches), sorted(c for i, c in enumerate(criteria) if a.matched_bits >> i & 1))
                for m in a.explanation["matches"]:
                    self.assertTrue(m["text"])
                    for d in m["decided"]:
                        self.assertIn(d["fact"], vigil.FACTS)
                        self.assertTrue(d["bound"])

    def test_module_function_and_kwargs(self):
        p = self.plans["yuzhong"]
        a = vigil.classify(p, {"deaths": 2}, similar_cases_nearby=True)
        b = p.classify(deaths=2, similar_cases_nearby=True)
        self.assertEqual((a.grade, a.matches), (b.grade, b.matches))

    def test_override(self):
        p = self.plans["guiyang"]
        a = p.classify(rare_cases=12, override={"grade": "II", "by": "专家组 组长", "reason": "研判", "at": "2026-03-02T10:00:00+08:00",
                                                  "clause": "guiyang A1 重大(4)"})
        self.assertEqual(a.grade, "II")
        self.assertEqual(a.computed_grade, "IV")
        self.assertTrue(a.overridden)
        self.assertEqual(a.explanation["override"]["clause"], "guiyang A1 重大(4)")
        with self.assertRaises(vigil.Error) as cm:
            p.classify(rare_cases=12, override={"grade": "II", "by": "x"})
        self.assertEqual(cm.exception.status, -3)
        self.assertIn("reason", cm.exception.message)
        with self.assertRaises(vigil.Error) as cm:
            p.classify(override={"grade": "II", "by": "x", "reason": "y", "clause": "no such clause"})
        self.assertIn("no such clause", cm.exception.message)
        with self.assertRaises(ValueError):
            p.classify(override={"grade": "II", "by": "x", "reason": "y", "who": "z"})

    def test_bad_facts(self):
        p = self.plans["yuzhong"]
        with self.assertRaises(ValueError):
            p.classify(rare_case=1)
        with self.assertRaises(ValueError):
            p.classify(rare_cases=-1)
        with self.assertRaises(ValueError):
            p.classify(rare_cases=2 ** 32)
        with self.assertRaises(ValueError):
            p.classify(product="vaccine")
        with self.assertRaises(vigil.Error) as cm:
            p.classify(product=5)
        self.assertEqual(cm.exception.status, -3)
        self.assertIn("product", cm.exception.message)

    def test_threads_share_a_plan(self):
        p = self.plans["yuzhong"]
        expected = [p.classify(rare_cases=i).grade for i in range(60)]
        results, errors = {}, []

        def work(t):
            try:
                for _ in range(20):
                    got = [p.classify(rare_cases=i).grade for i in range(60)]
                    if got != expected:
                        errors.append(t)
                    try:
                        vigil.Plan.builtin("missing-%d" % t)
                    except vigil.Error as e:
                        if "missing-%d" % t not in e.message:
                            errors.append(("message", t))
                results[t] = True
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 4)


class BatchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plans = {name: vigil.Plan.builtin(name) for name in ("yuzhong", "guiyang")}
        cls.cases = grading_cases()

    def single(self, plan, columns, products, i):
        facts = {k: v[i] for k, v in columns.items()}
        if "similar_cases_nearby" in facts:
            facts["similar_cases_nearby"] = bool(facts["similar_cases_nearby"])
        if products is not None:
            facts["product"] = int(products[i])
        return plan.classify(facts)

    def check_equal(self, plan, columns, products, grades, bits):
        n = len(grades)
        for i in range(n):
            a = self.single(plan, columns, products, i)
            self.assertEqual(vigil.GRADES[int(grades[i])], a.computed_grade, "cluster %d" % i)
            self.assertEqual(int(bits[i]), a.matched_bits, "cluster %d" % i)

    def table_columns(self, plan):
        rows = [c for c in self.cases if c[0] == plan]
        columns = {f: array.array("I", [int(r[2].get(f, 0)) for r in rows]) for f in vigil.FACTS}
        products = bytes(vigil.PRODUCTS.index(r[2].get("product", "drug")) for r in rows)
        return rows, columns, products

    def test_tables_batch_equals_single(self):
        for plan in self.plans:
            with self.subTest(plan=plan):
                rows, columns, products = self.table_columns(plan)
                grades, bits = self.plans[plan].classify_batch(columns, products)
                self.assertIsInstance(grades, array.array)
                self.assertEqual(len(grades), len(rows))
                self.check_equal(self.plans[plan], columns, products, grades, bits)
                for (p, n, facts, grade, matches), g in zip(rows, grades):
                    self.assertEqual(vigil.GRADES[g], "none" if grade == "out_of_scope" else grade, "line %d" % n)

    def test_random_batch_equals_single(self):
        rng = random.Random(20260301)
        n = 2500  # more than one of the library's chunks
        columns = {}
        for f in vigil.FACTS:
            hi = 1 if f == "similar_cases_nearby" else (60 if f in ("rare_cases", "severe_cases", "deaths") else 3)
            columns[f] = array.array("I", [rng.randint(0, hi) for _ in range(n)])
        products = array.array("B", [rng.randint(0, 1) for _ in range(n)])
        for plan in self.plans.values():
            grades, bits = plan.classify_batch(columns, products)
            self.check_equal(plan, columns, products, grades, bits)

    def test_input_kinds(self):
        p = self.plans["yuzhong"]
        values = [0, 10, 20, 30, 50, 4000000000]
        expected = [p.classify(rare_cases=v).grade for v in values]
        kinds = {
            "list": values,
            "array": array.array("I", values),
            "memoryview": memoryview(array.array("I", values)),
            "readonly memoryview": memoryview(bytes(array.array("I", values))).cast("I"),
            "signed array": array.array("q", values),
            "tuple": tuple(values),
        }
        for name, col in kinds.items():
            with self.subTest(kind=name):
                grades, bits = p.classify_batch({"rare_cases": col}, matched=False)
                self.assertIsNone(bits)
                self.assertEqual([vigil.GRADES[g] for g in grades], expected)
        g1, _ = p.classify_batch({"deaths": [2, 2]}, products=["drug", "device"])
        g2, _ = p.classify_batch({"deaths": [2, 2], "similar_cases_nearby": [True, True]})
        self.assertEqual(list(g1), [0, 0])
        self.assertEqual([vigil.GRADES[g] for g in g2], ["III", "III"])
        g, b = p.classify_batch({"rare_cases": []})
        self.assertEqual((len(g), len(b)), (0, 0))

    def test_batch_errors(self):
        p = self.plans["guiyang"]
        with self.assertRaises(ValueError):
            p.classify_batch({"rare_case": [1]})
        with self.assertRaises(ValueError):
            p.classify_batch({"rare_cases": [1, 2], "deaths": [1]})
        with self.assertRaises(ValueError):
            p.classify_batch({"rare_cases": [-1]})
        with self.assertRaises(ValueError):
            p.classify_batch({"rare_cases": [2 ** 32]})
        with self.assertRaises(ValueError):
            p.classify_batch({})
        with self.assertRaises(ValueError):
            p.classify_batch({"rare_cases": [1]}, products=["vaccine"])
        with self.assertRaises(vigil.Error) as cm:
            p.classify_batch({"rare_cases": [1, 2, 3]}, products=bytes([0, 1, 2]))
        self.assertEqual(cm.exception.status, -3)
        self.assertIn("product[2]", cm.exception.message)

    @unittest.skipUnless(numpy is not None or REQUIRE_NUMPY, "numpy is not installed (optional)")
    def test_numpy(self):
        p = self.plans["yuzhong"]
        rng = numpy.random.default_rng(7)
        n = 3000
        columns = {
            "rare_cases": rng.integers(0, 60, n, dtype=numpy.uint32),
            "deaths": rng.integers(0, 6, n).astype(numpy.int64),
            "similar_cases_nearby": rng.integers(0, 2, n).astype(bool),
            "streets_with_IV": rng.integers(0, 3, n, dtype=numpy.uint32)[::1],
        }
        products = rng.integers(0, 2, n, dtype=numpy.uint8)
        grades, bits = p.classify_batch(columns, products)
        self.assertEqual(grades.dtype, numpy.uint8)
        self.assertEqual(bits.dtype, numpy.uint64)
        plain = {k: [int(x) for x in v] for k, v in columns.items()}
        self.check_equal(p, plain, products, grades, bits)
        with self.assertRaises(ValueError):
            p.classify_batch({"rare_cases": numpy.array([-1, 2])})


class DeclaredFactsTest(unittest.TestCase):
    """A plan's declared facts (tests/data/plans/declared.json: a sum, a boolean, a grade fact, two
    products) through classify_columns, keyed by fact name or Chinese label."""

    def setUp(self):
        self.plan = vigil.Plan.from_file(os.path.join(DATA, "plans", "declared.json"))

    def test_facts_and_products(self):
        self.assertEqual([f["name"] for f in self.plan.facts],
                         ["casualties", "deaths", "critical_cases", "deaths_and_critical", "cluster", "may_reach",
                          "cities_with_III"])
        self.assertEqual(self.plan.facts[3], {"name": "deaths_and_critical", "kind": "sum",
                                              "label_zh": "死亡和危重病例合计", "label_en": "deaths and critical cases"})
        self.assertEqual(self.plan.products, ("vaccine", "cosmetic"))
        self.assertEqual(self.plan.fact_index("伤亡人数"), 0)
        with self.assertRaises(vigil.Error) as e:
            self.plan.fact_index("rare_cases")
        self.assertIn("its facts: casualties, deaths", str(e.exception))

    def test_columns_on_both_sides_of_the_bounds(self):
        # casualties 9/10 (none/IV), 29/30 (IV/III); deaths + critical 5/6 (none without a cluster / II)
        r = self.plan.classify_columns({"伤亡人数": [9, 10, 29, 30, 0, 0], "deaths": [0, 0, 0, 0, 1, 2],
                                        "critical_cases": array.array("I", [0, 0, 0, 0, 4, 4])},
                                       products=["cosmetic"] * 6)
        self.assertEqual(list(r["grades"]), [0, 1, 1, 2, 0, 3])
        self.assertEqual(len(r["matched"]), 6)
        # the plan's first product (vaccine) is out of scope
        r = self.plan.classify_columns({"casualties": [30]})
        self.assertEqual(list(r["grades"]), [0])
        self.assertEqual(list(r["matched"]), [1 << 63])
        with self.assertRaises(ValueError):
            self.plan.classify_columns({"deaths_and_critical": [6]})
        with self.assertRaises(ValueError):
            self.plan.classify_columns({"deaths": [1], "死亡人数": [1]})

    def test_builtin_plan_by_declared_facts_agrees_with_the_old_calls(self):
        y = vigil.Plan.builtin("guiyang")
        self.assertEqual([f["name"] for f in y.facts[:9]], list(vigil._capi.FACTS))
        rare, pg = [6, 3, 0, 10], ["none", "IV", "none", "none"]
        r = y.classify_columns({"rare_cases": rare, "possible_grade": pg}, decide=True)
        g, b, w, resp = y.classify_batch_ex({"rare_cases": rare}, modifiers={"possible_grade": pg})
        self.assertEqual(list(r["grades"]), list(g))
        self.assertEqual(list(r["matched"]), list(b))
        self.assertEqual(list(r["warnings"]), list(w))
        self.assertEqual(list(r["responses"]), list(resp))


class NumpyTest(unittest.TestCase):
    """The numpy path: columns read in place when their dtype fits (uint32 contiguous), converted and
    checked when not, answers as numpy arrays; the third plan's conformance table through numpy
    columns keyed by Chinese label; warnings and responses decided from numpy modifier columns."""

    def setUp(self):
        if numpy is None:
            if REQUIRE_NUMPY:
                self.fail("VIGIL_REQUIRE_NUMPY=1 but numpy cannot be imported (python3-numpy, scripts/setup.sh)")
            self.skipTest("numpy is not installed (optional; ctest's python_binding_numpy runs these with it)")

    def test_read_in_place_when_the_dtype_fits(self):
        col = vigil._core._column
        a = numpy.arange(10, dtype=numpy.uint32)
        keep, addr = col(a, 10, "I", 4, "x", 0xFFFFFFFF)
        self.assertEqual(addr, a.ctypes.data)  # no copy
        b = numpy.arange(10, dtype=numpy.int64)
        keep, addr = col(b, 10, "I", 4, "x", 0xFFFFFFFF)
        self.assertNotEqual(addr, b.ctypes.data)  # converted
        self.assertEqual(list(keep), list(range(10)))
        c = numpy.arange(20, dtype=numpy.uint32)[::2]  # not contiguous: copied
        keep, addr = col(c, 10, "I", 4, "x", 0xFFFFFFFF)
        self.assertNotEqual(addr, c.ctypes.data)
        self.assertEqual(list(keep), list(range(0, 20, 2)))
        p = numpy.zeros(10, dtype=numpy.uint8)
        self.assertEqual(col(p, 10, "B", 1, "product", 255)[1], p.ctypes.data)

    def test_third_plan_table_through_numpy_columns(self):
        plan = vigil.Plan.from_file(os.path.join(EXAMPLES, "plans", "tianjin-vaccine.json"))
        rows = read_table(os.path.join(DATA, "grading", "tianjin.txt"))
        self.assertGreater(len(rows), 20)
        n = len(rows)
        names = [f["name"] for f in plan.facts]
        values = {k: [0] * n for k in names}
        for r, (line, cols) in enumerate(rows):
            for k, v in parse_facts(cols[0]).items():
                values[k][r] = int(v)
        # keyed by Chinese label; counts uint32 (read in place), booleans numpy bool, one count int64
        columns = {}
        for f in plan.facts:
            dtype = bool if f["kind"] == "boolean" else (numpy.int64 if f["name"] == "rare_cases" else numpy.uint32)
            columns[f["label_zh"]] = numpy.array(values[f["name"]], dtype=dtype)
        r = plan.classify_columns(columns)
        self.assertIsInstance(r["grades"], numpy.ndarray)
        self.assertEqual(r["grades"].dtype, numpy.uint8)
        self.assertEqual(r["matched"].dtype, numpy.uint64)
        self.assertEqual(r["matched"].shape, (n * vigil._capi.lib.vigil_plan_match_words(plan._h),))
        grade_of = {"none": 0, "IV": 1, "III": 2, "II": 3, "I": 4}
        for i, (line, cols) in enumerate(rows):
            self.assertEqual(int(r["grades"][i]), grade_of[cols[1]], "tianjin.txt line %d: %s" % (line, cols[0]))
            want = 0
            for clause in filter(None, cols[2].split(";")):
                want |= 1 << plan.criteria.index(clause)
            self.assertEqual(int(r["matched"][i]), want, "tianjin.txt line %d: matched set" % line)
        # the same columns as plain lists answer the same, as array.array
        plain = plan.classify_columns({f["name"]: values[f["name"]] for f in plan.facts})
        self.assertIsInstance(plain["grades"], array.array)
        self.assertEqual(list(plain["grades"]), [int(x) for x in r["grades"]])
        self.assertEqual(list(plain["matched"]), [int(x) for x in r["matched"]])

    def test_decided_from_numpy_modifier_columns(self):
        p = vigil.Plan.builtin("guiyang")
        rng = numpy.random.default_rng(11)
        n = 500
        rare = rng.integers(0, 60, n, dtype=numpy.uint32)
        severe = rng.integers(0, 4, n).astype(numpy.uint64)
        possible = rng.integers(0, 5, n, dtype=numpy.uint32)
        sensitive = rng.integers(0, 2, n).astype(bool)
        r = p.classify_columns({"rare_cases": rare, "severe_cases": severe, "possible_grade": possible,
                                "sensitive": sensitive}, decide=True)
        for k in ("grades", "warnings", "responses"):
            self.assertEqual(r[k].dtype, numpy.uint8)
        grades = ("none", "IV", "III", "II", "I")
        g, b, w, resp = p.classify_batch_ex(
            {"rare_cases": [int(x) for x in rare], "severe_cases": [int(x) for x in severe]},
            modifiers={"possible_grade": [grades[int(x)] for x in possible], "sensitive": [bool(x) for x in sensitive]})
        self.assertEqual([int(x) for x in r["grades"]], list(g))
        self.assertEqual([int(x) for x in r["matched"]], list(b))
        self.assertEqual([int(x) for x in r["warnings"]], list(w))
        self.assertEqual([int(x) for x in r["responses"]], list(resp))

    def test_bad_numpy_columns(self):
        p = vigil.Plan.builtin("guiyang")
        with self.assertRaises(TypeError):
            p.classify_columns({"rare_cases": numpy.array([1.5, 2.0])})
        with self.assertRaises(ValueError):
            p.classify_columns({"rare_cases": numpy.array([-1, 2])})
        with self.assertRaises(ValueError):
            p.classify_columns({"rare_cases": numpy.array([2 ** 32], dtype=numpy.uint64)})
        with self.assertRaises(ValueError):
            p.classify_columns({"rare_cases": numpy.zeros((2, 2), dtype=numpy.uint32)})
        with self.assertRaises(ValueError):
            p.classify_columns({"rare_cases": numpy.zeros(3, dtype=numpy.uint32), "deaths": numpy.zeros(2, dtype=numpy.uint32)})
        with self.assertRaises(vigil.Error) as cm:
            p.classify_columns({"rare_cases": numpy.zeros(3, dtype=numpy.uint32)}, products=numpy.array([0, 1, 2], dtype=numpy.uint8))
        self.assertEqual(cm.exception.status, -3)
        self.assertIn("product[2]", cm.exception.message)
        # no rows: empty numpy answers
        r = p.classify_columns({"rare_cases": numpy.zeros(0, dtype=numpy.uint32)})
        self.assertEqual(r["grades"].shape, (0,))


class RollupTest(unittest.TestCase):
    def test_rollup_table(self):
        rows = read_table(os.path.join(DATA, "rollup.txt"))
        self.assertGreater(len(rows), 5)
        for n, (events_text, target, expected, why) in rows:
            events = []
            for e in events_text.split(","):
                product, pid, area, grade = e.strip().split(":")
                events.append((product, pid, area, grade))
            with self.subTest(line=n, why=why):
                r = vigil.rollup(events, "drug", "P1", target)
                for tok in expected.split():
                    k, v = tok.split("=")
                    self.assertEqual(r["facts"][k], int(v), tok)
                for c in r["counts"]:
                    self.assertEqual(c["count"], len(c["areas"]))

    def test_rollup_dicts_and_errors(self):
        r = vigil.rollup([{"product": "drug", "product_id": "P", "area": "500103001", "grade": "IV"},
                          {"product": 0, "product_id": "P", "area": "500103002", "grade": 1}], "drug", "P", "500103")
        self.assertEqual(r["facts"]["streets_with_IV"], 2)
        self.assertEqual(vigil.rollup([], "device", "P", "500103")["facts"]["product"], "device")
        with self.assertRaises(vigil.Error) as cm:
            vigil.rollup([("drug", "P", "5x0103001", "IV")], "drug", "P", "500103")
        self.assertEqual(cm.exception.status, -3)
        self.assertIn("events[0].area", cm.exception.message)
        with self.assertRaises(vigil.Error) as cm:
            vigil.rollup([], "drug", "P", "12")
        self.assertIn("target_area", cm.exception.message)
        with self.assertRaises(ValueError):
            vigil.rollup([("drug", "P", "500103001", "V")], "drug", "P", "500103")

    def test_rollup_of_a_plans_own_spread_facts(self):
        # tests/data/plans/declared.json: cities_with_III, prefectures of the province with a grade >= III
        # event of the same product; products vaccine and cosmetic
        plan = vigil.Plan.from_file(os.path.join(DATA, "plans", "declared.json"))
        events = [("cosmetic", "P1", "120101", "III"), ("cosmetic", "P1", "120201", "II"),
                  ("cosmetic", "P1", "130101", "III"), ("cosmetic", "P1", "120302", "IV"),
                  ("cosmetic", "P2", "120401", "I"), {"product": "vaccine", "product_id": "P1", "area": "120501", "grade": "I"}]
        r = plan.rollup(events, "cosmetic", "P1", "120101")
        self.assertEqual(r["plan"], "declared")
        self.assertEqual(r["facts"]["cities_with_III"], 2)
        self.assertEqual(r["facts"]["product"], "cosmetic")
        self.assertNotIn("deaths_and_critical", r["facts"])
        self.assertEqual([(c["fact"], c["areas"]) for c in r["counts"]], [("cities_with_III", ["120100", "120200"])])
        self.assertEqual(plan.rollup(events, "vaccine", "P1", "120101")["facts"]["cities_with_III"], 1)
        with self.assertRaises(ValueError):
            plan.rollup(events, "drug", "P1", "120101")
        with self.assertRaises(vigil.Error) as cm:
            plan.rollup([(5, "P1", "120101", "III")], "cosmetic", "P1", "120101")
        self.assertIn("events[0].product = 5", cm.exception.message)
        # a built-in plan: the same counts as vigil.rollup
        y = vigil.Plan.builtin("yuzhong")
        ev = [("drug", "P", "500103001", "IV"), ("drug", "P", "500103002", "IV")]
        self.assertEqual(y.rollup(ev, "drug", "P", "500103")["facts"]["streets_with_IV"],
                         vigil.rollup(ev, "drug", "P", "500103")["facts"]["streets_with_IV"])


def pairs(text):
    out = {}
    for kv in filter(None, text.split(";")):
        k, v = kv.split("=")
        out[k] = v
    return out


def issuers(patterns):
    return " or ".join(p["unit"] + ("/" + p["role"] if p["role"] else "") for p in patterns)


class ResponseTest(unittest.TestCase):
    def test_response_decisions_table(self):
        """tests/data/response_decisions.csv through the C ABI: colour, level, clauses, issuers."""
        with open(os.path.join(DATA, "response_decisions.csv"), encoding="utf-8") as f:
            rows = list(csv.reader(line for line in f if not line.startswith("#")))
        header, rows = rows[0], rows[1:]
        self.assertEqual(len(header), 10)
        self.assertGreater(len(rows), 30)
        plans = {}
        for n, c in enumerate(rows, 2):
            with self.subTest(row=c):
                plan = plans.setdefault(c[0], vigil.Plan.builtin(c[0]))
                facts = {k: int(v) for k, v in pairs(c[1]).items()}
                mods = {k: (v if k == "possible_grade" else v == "true") for k, v in pairs(c[2]).items()}
                a = plan.classify(facts, modifiers=mods)
                self.assertEqual(a.grade, c[3])
                self.assertEqual(a.warning, c[4])
                w = a.explanation["warning"]
                self.assertEqual(w["colour"], c[4])
                self.assertEqual(w["rules"][0]["clause"] if w["rules"] else "", c[5])
                self.assertEqual(issuers(w["issue"]["issuer"]), c[6])
                self.assertEqual("none" if a.response == 0 else str(a.response), c[7])
                r = a.explanation["response"]
                self.assertEqual(r["level"], a.response)
                self.assertEqual(r["base"], a.response_base)
                self.assertEqual("|".join(h["clause"] for h in r["rules"] if h["used"]), c[8])
                self.assertEqual(issuers(r["start"]["issuer"]), c[9])
                self.assertEqual(w["number"], a.warning_number)
                if a.warning != "none":
                    self.assertTrue(w["name_zh"])
                    self.assertTrue(w["content_fields"])
                    if c[0] == "yuzhong":  # yuzhong numbers its warnings 一级 … 四级; guiyang does not
                        self.assertEqual(a.warning_number, 5 - vigil.WARNINGS.index(a.warning))

    def test_batch_equals_single(self):
        """classify_batch_ex gives, cluster by cluster, the grade, warning and response classify gives."""
        rng = random.Random(77)
        n = 1500
        for plan in (vigil.Plan.builtin("yuzhong"), vigil.Plan.builtin("guiyang")):
            columns = {f: [rng.choice([0, 0, 1, 2, 3, 5, 7, 10, 20, 30, 50]) for _ in range(n)] for f in vigil.FACTS}
            columns["similar_cases_nearby"] = [rng.random() < 0.5 for _ in range(n)]
            mods = {m: [rng.random() < 0.3 for _ in range(n)] for m in vigil.MODIFIERS}
            mods["possible_grade"] = [rng.choice(vigil.GRADES) for _ in range(n)]
            products = [rng.choice(vigil.PRODUCTS) for _ in range(n)]
            grades, bits, warnings, responses = plan.classify_batch_ex(columns, products, mods)
            kinds = set()
            for i in range(n):
                a = plan.classify({k: v[i] for k, v in columns.items()}, product=products[i],
                                  modifiers={k: v[i] for k, v in mods.items()})
                self.assertEqual((vigil.GRADES[grades[i]], bits[i], vigil.WARNINGS[warnings[i]], responses[i]),
                                 (a.grade, a.matched_bits, a.warning, a.response), "cluster %d" % i)
                kinds.add((a.warning, a.response))
            self.assertGreater(len(kinds), 4)
        g, b, w, r = vigil.Plan.builtin("yuzhong").classify_batch_ex({"rare_cases": [10]}, matched=False)
        self.assertEqual((list(g), b, list(w), list(r)), ([1], None, [2], [4]))  # IV: yellow (三级), level 4
        with self.assertRaises(ValueError):
            plan.classify_batch_ex({"rare_cases": [1]}, modifiers={"loud": [True]})
        with self.assertRaises(ValueError):
            plan.classify_batch_ex({"rare_cases": [1, 2]}, modifiers={"sensitive": [True]})
        with self.assertRaises(vigil.Error) as cm:
            plan.classify_batch_ex({"rare_cases": [1, 2]}, modifiers={"possible_grade": bytes([0, 9])})
        self.assertIn("possible_grade[1]", cm.exception.message)

    def test_modifier_errors(self):
        p = vigil.Plan.builtin("guiyang")
        with self.assertRaises(ValueError):
            p.classify(modifiers={"loud": True})
        with self.assertRaises(ValueError):
            p.classify(modifiers={"possible_grade": "V"})
        with self.assertRaises(vigil.Error) as cm:
            p.classify(modifiers={"possible_grade": 9})
        self.assertIn("possible_grade", cm.exception.message)


def read_columns(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            rows.append((n, line.split()))
    return rows


class CalendarTest(unittest.TestCase):
    def test_add_table(self):
        cal = vigil.Calendar.builtin()
        rows = read_columns(os.path.join(DATA, "calendar", "add.txt"))
        self.assertGreater(len(rows), 5)
        for n, (day, k, expected) in rows:
            with self.subTest(line=n):
                d = datetime.date.fromisoformat(day)
                if expected == "out_of_range":
                    with self.assertRaises(vigil.Error) as cm:
                        cal.add_working_days(d, int(k))
                    self.assertEqual(cm.exception.status, -6)
                else:
                    self.assertEqual(cal.add_working_days(d, int(k)), datetime.date.fromisoformat(expected))

    def test_working_days_and_sources(self):
        cal = vigil.Calendar.from_file(os.path.join(ROOT, "data", "calendar", "cn.csv"))
        self.assertFalse(cal.is_working_day(datetime.date(2026, 10, 1)))
        self.assertTrue(cal.is_working_day("2026-10-10T09:00:00+08:00"))  # a make-up Saturday
        # 2026-10-10T01:00Z is still 10-09 in UTC but 10-10 in Beijing: the local date counts
        self.assertTrue(cal.is_working_day(datetime.datetime(2026, 10, 9, 17, 0, tzinfo=datetime.timezone.utc)))
        with self.assertRaises(ValueError):
            cal.is_working_day(datetime.datetime(2026, 10, 9, 17, 0))
        with self.assertRaises(vigil.Error) as cm:
            vigil.Calendar.from_csv("date,kind\nyesterday,holiday\n", "bad.csv")
        self.assertIn("bad.csv", cm.exception.message)
        with self.assertRaises(vigil.Error) as cm:
            vigil.Calendar.from_file("no-such-calendar.csv")
        self.assertEqual(cm.exception.status, -5)


def local_seconds(text):
    return int(datetime.datetime.fromisoformat(text).timestamp())


class DeadlinesTest(unittest.TestCase):
    """tests/data/obligations/cases.json through the C ABI: exactly the expected instances, due
    instants, anchors, restarts and supersessions, explanations, and the audit's findings."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(DATA, "obligations", "cases.json"), encoding="utf-8") as f:
            cls.cases = json.load(f)["cases"]
        cls.calendar = vigil.Calendar.builtin()

    def timeline(self, case):
        t = case["timeline"]
        if isinstance(t, str):
            with open(os.path.join(ROOT, t), encoding="utf-8") as f:
                return f.read()
        return t

    def test_cases(self):
        self.assertGreater(len(self.cases), 5)
        for case in self.cases:
            with self.subTest(case=case["name"]):
                plan = vigil.Plan.builtin(case["plan"])
                now = local_seconds(case["now"])
                provisional = case.get("provisional", False)
                d = vigil.deadlines(plan, self.timeline(case), as_of=now, calendar=self.calendar, provisional=provisional)
                self.assertEqual(d["calendar"]["provisional"], provisional)
                self.assertEqual(d["calendar"]["years"], list(range(2019, 2027)))
                got = {x["id"]: x for x in d["deadlines"]}
                self.assertEqual(sorted(got), sorted(case["expect"]))
                for id_, want in case["expect"].items():
                    x = got[id_]
                    if "due" in want:
                        self.assertEqual(x["due_time"], local_seconds(want["due"]), id_)
                        self.assertEqual(x["due_local"], want["due"], id_)
                    if "anchor" in want:
                        self.assertEqual(x["anchor_time"], local_seconds(want["anchor"]), id_)
                    if "timing" in want:
                        self.assertEqual(x["timing"], want["timing"], id_)
                        self.assertNotIn("due_time", x)
                    # refused on its own row (the year the calendar lacks), or provisional
                    self.assertEqual(x["calendar_unknown"], want.get("calendar_unknown"), id_)
                    self.assertEqual(x["provisional"], want.get("provisional", False), id_)
                    if "calendar_unknown" in want:
                        self.assertNotIn("due_time", x)
                    if "restarted" in want:
                        self.assertEqual(x["restarted"], want["restarted"], id_)
                    if "superseded_by" in want:
                        self.assertTrue(x["superseded"], id_)
                        self.assertEqual(x["superseded_by"], want["superseded_by"], id_)
                    if "explains" in want:
                        for part in (want["explains"] if isinstance(want["explains"], list) else [want["explains"]]):
                            self.assertIn(part, x["explanation"], id_)
                    self.assertTrue(x["clause"])
                if "audit" in case:
                    a = vigil.audit(plan, self.timeline(case), now, provisional=provisional)
                    self.assertEqual(a["as_of"], now)
                    entries = {e["id"]: e for e in a["entries"]}
                    for id_, want in case["audit"].items():
                        self.assertEqual(entries[id_]["status"], want["status"], id_)
                        if "late_by_seconds" in want:
                            self.assertEqual(entries[id_]["late_by_seconds"], want["late_by_seconds"], id_)
                    self.assertEqual(sum(a["counts"].values()), len(a["entries"]))

    def test_december_2026(self):
        """A December 2026 incident: the hour-based duties answered, the summary refused on its own
        row or, provisional, given and marked; not_final counts them."""
        plan = vigil.Plan.builtin("yuzhong")
        path = os.path.join(ROOT, "examples", "timeline-yuzhong-december.json")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        strict = vigil.deadlines(plan, text)
        rows = {x["id"]: x for x in strict["deadlines"]}
        self.assertEqual(rows["yz-4.1.1-2-verified"]["due_local"], "2026-12-15T10:00:00+08:00")
        self.assertEqual(rows["yz-5.2-summary"]["calendar_unknown"], 2027)
        self.assertEqual(strict["not_final"], 1)
        prov = vigil.deadlines(plan, text, provisional=True)
        rows = {x["id"]: x for x in prov["deadlines"]}
        self.assertTrue(rows["yz-5.2-summary"]["provisional"])
        self.assertEqual(rows["yz-5.2-summary"]["due_local"], "2027-01-01T00:00:00+08:00")
        self.assertFalse(rows["yz-4.1.1-2-verified"]["provisional"])
        self.assertTrue(prov["calendar"]["provisional"])
        cal = vigil.Calendar.builtin().provisional()
        self.assertFalse(cal.is_working_day(datetime.date(2027, 1, 1)))  # 元旦, a fixed date
        self.assertTrue(cal.is_working_day(datetime.date(2027, 2, 8)))   # 春节 unknown: a plain Monday
        with self.assertRaises(vigil.Error):
            vigil.Calendar.builtin().is_working_day(datetime.date(2026, 12, 30))  # the 2027 notice may move it

    def test_inputs_and_errors(self):
        plan = vigil.Plan.builtin("guiyang")
        path = os.path.join(ROOT, "examples", "timeline-guiyang-escalation.json")
        import pathlib
        by_path = vigil.deadlines(plan, pathlib.Path(path), as_of="2026-10-01T12:00:00+08:00")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(vigil.deadlines(plan, text, as_of=1790827200), by_path)
        self.assertEqual(vigil.deadlines(plan, json.loads(text), as_of=1790827200), by_path)
        with self.assertRaises(vigil.Error) as cm:
            vigil.deadlines(plan, '{"events": [')
        self.assertEqual(cm.exception.status, -1)
        with self.assertRaises(vigil.Error) as cm:
            vigil.deadlines(plan, {"vigil_timeline": 1, "colour": 1, "events": []})
        self.assertIn("/colour", cm.exception.message)
        with self.assertRaises(vigil.Error) as cm:
            vigil.audit(plan, text, -1)
        self.assertEqual(cm.exception.status, -6)
        with self.assertRaises(TypeError):
            vigil.audit(plan, text, None)
        minimal = vigil.Plan.from_file(os.path.join(DATA, "plans", "minimal.json"))
        with self.assertRaises(vigil.Error) as cm:
            vigil.deadlines(minimal, text)
        self.assertIn("obligations", cm.exception.message)


def event(name, time, unit, role="", **payload):
    return {"event": name, "time": time, "actor": {"unit": unit, "role": role}, "payload": payload}


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "incident.jsonl")
        self.plan = vigil.Plan.builtin("yuzhong")

    def tearDown(self):
        self.dir.cleanup()

    def test_walk_refusal_reopen_replay(self):
        inc = vigil.Incident.create(self.path, self.plan, "YZ-2026-P01", "2026-03-02T09:00:00+08:00", "区市场监管局", "局长")
        s = inc.apply(event("issue_warning", "2026-03-02T09:05:00+08:00", "区市场监管局", "局长", colour="yellow"))
        self.assertEqual(s["warning"], "yellow")
        inc.apply(event("report", "2026-03-02T09:10:00+08:00", "区市场监管局", "局长", report_ref="渝中市监〔2026〕1号"))
        s = inc.apply(event("assess", "2026-03-02T09:20:00+08:00", "区市场监管局", "局长", grade="III"))
        self.assertEqual((s["state"], s["grade"]), ("assessed", "III"))
        # a level-1 response is not the district bureau's to start: refused, nothing written
        size = os.path.getsize(self.path)
        with self.assertRaises(vigil.Error) as cm:
            inc.apply(event("start_response", "2026-03-02T09:30:00+08:00", "区市场监管局", "局长", level=1))
        self.assertEqual(cm.exception.status, -7)
        self.assertEqual(cm.exception.status_name, "refused")
        self.assertEqual(os.path.getsize(self.path), size)
        self.assertEqual(inc.state(), s)
        with self.assertRaises(vigil.Error) as cm:
            inc.apply('{"event": ')
        self.assertEqual(cm.exception.status, -1)
        inc.close()
        with self.assertRaises(ValueError):
            inc.state()
        self.assertEqual(vigil.Incident.plan_id(self.path), "yuzhong")
        with vigil.Incident.open(self.path) as again:
            self.assertEqual(again.state(), s)
        with open(self.path, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(vigil.replay(self.plan, text), s)
        with self.assertRaises(vigil.Error) as cm:
            vigil.replay(self.plan, text.replace("渝中市监", "X中市监"))
        self.assertEqual(cm.exception.status, -8)
        with self.assertRaises(vigil.Error) as cm:
            vigil.Incident.open(self.path, vigil.Plan.builtin("guiyang"))
        self.assertIn("yuzhong", cm.exception.message)
        with self.assertRaises(vigil.Error) as cm:
            vigil.Incident.create(self.path, self.plan, "again", 1772413200, "区市场监管局")
        self.assertEqual(cm.exception.status, -5)

    def test_two_handles_share_the_file(self):
        a = vigil.Incident.create(self.path, self.plan, "YZ-2026-P02", 1772413200, "区市场监管局", "局长")
        b = vigil.Incident.open(self.path, self.plan)
        b.apply(event("report", "2026-03-02T09:10:00+08:00", "区市场监管局", "局长", report_ref="r"))
        # a catches up with b's record before its own event is checked and appended
        s = a.apply(event("assess", "2026-03-02T09:20:00+08:00", "区市场监管局", "局长", grade="IV"))
        self.assertEqual([h["event"] for h in s["history"]], ["open", "report", "assess"])


class OccurrenceTest(unittest.TestCase):
    """tests/data/obligations/lifecycle_logs.json through the binding: a log created with
    Incident.create(..., occurred_at=…) and the walk's events owes, through vigil.deadlines on the log,
    exactly the instances anchored at the occurrence, due when the clauses say; without it, none."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    @staticmethod
    def walk(case):
        """The records of the example walk's log (the opening first)."""
        with open(os.path.join(DATA, case["log"]), encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def create(self, name, plan, records, occurred_at):
        path = os.path.join(self.dir.name, name)
        opening = records[0]
        self.assertEqual(opening["event"], "open")
        with vigil.Incident.create(path, plan, opening["payload"]["incident"], opening["time"], opening["actor"]["unit"],
                                   opening["actor"]["role"] or None, occurred_at=occurred_at) as inc:
            for r in records[1:]:
                inc.apply({k: r[k] for k in ("event", "time", "actor", "payload")})
            state = inc.state()
        return path, state

    def test_occurrence_anchors_the_clocks(self):
        import pathlib
        with open(os.path.join(DATA, "obligations", "lifecycle_logs.json"), encoding="utf-8") as f:
            cases = json.load(f)["cases"]
        self.assertIn("guiyang", [c["plan"] for c in cases])
        for case in cases:
            with self.subTest(plan=case["plan"]):
                plan = vigil.Plan.builtin(case["plan"])
                records = self.walk(case)
                self.assertEqual(records[0]["payload"]["occurred_at"], case["occurred_at"])
                # an aware datetime, as a caller would give it
                occurred = datetime.datetime.fromisoformat(case["occurred_at"])
                path, state = self.create(case["plan"] + "-with.jsonl", plan, records, occurred)
                self.assertEqual(state["occurred_at"], case["occurred_at"])
                # the same events through the binding write the walk's log byte for byte
                with open(path, encoding="utf-8") as f, open(os.path.join(DATA, case["log"]), encoding="utf-8") as g:
                    self.assertEqual(f.read(), g.read())
                d = vigil.deadlines(plan, pathlib.Path(path), as_of=case["now"])
                anchored = {x["id"]: x for x in d["deadlines"] if x["anchor"] == "occurred"}
                self.assertEqual(sorted(anchored), sorted(e["id"] for e in case["occurred"]))
                for e in case["occurred"]:
                    x = anchored[e["id"]]
                    self.assertEqual(x["anchor_time"], local_seconds(case["occurred_at"]), e["why"])
                    self.assertEqual(x["due_local"], e["due"], e["why"])
                    self.assertEqual(x["due_time"], local_seconds(e["due"]), e["why"])
                    self.assertFalse(x["restarted"], e["why"])
                    self.assertTrue(x["clause"])
                # without the occurrence time: the same log but none of those clocks has a start
                path2, state2 = self.create(case["plan"] + "-without.jsonl", plan, records, None)
                self.assertNotIn("occurred_at", state2)
                d2 = vigil.deadlines(plan, pathlib.Path(path2), as_of=case["now"])
                self.assertEqual([x for x in d2["deadlines"] if x["anchor"] == "occurred"], [])
                self.assertEqual(len(d2["deadlines"]) + len(case["occurred"]), len(d["deadlines"]))

    def test_occurrence_after_the_opening_is_refused(self):
        plan = vigil.Plan.builtin("guiyang")
        path = os.path.join(self.dir.name, "late.jsonl")
        for occurred, status, needle in (
            ("2026-05-11T09:30:01+08:00", -3, "after the log was opened"),
            (-1, -6, "occurred_at"),
        ):
            with self.subTest(occurred=occurred):
                with self.assertRaises(vigil.Error) as cm:
                    vigil.Incident.create(path, plan, "GY-2026-X", "2026-05-11T09:30:00+08:00", "市指挥部办公室", "主任",
                                          occurred_at=occurred)
                self.assertEqual(cm.exception.status, status)
                self.assertIn(needle, cm.exception.message)
                self.assertFalse(os.path.exists(path))
        with self.assertRaises(ValueError):
            vigil.Incident.create(path, plan, "GY-2026-X", "2026-05-11T09:30:00+08:00", "市指挥部办公室", "主任",
                                  occurred_at=datetime.datetime(2026, 5, 11, 9, 5))
        with self.assertRaises(TypeError):
            vigil.Incident.create(path, plan, "GY-2026-X", "2026-05-11T09:30:00+08:00", "市指挥部办公室", "主任",
                                  occurred_at=True)
        # equal to the opening is allowed (reported the moment it happened)
        with vigil.Incident.create(path, plan, "GY-2026-X", "2026-05-11T09:30:00+08:00", "市指挥部办公室", "主任",
                                   occurred_at="2026-05-11T09:30:00+08:00") as inc:
            self.assertEqual(inc.state()["occurred_at"], "2026-05-11T09:30:00+08:00")


class ReadmeTest(unittest.TestCase):
    def test_readme_example(self):
        """The README's example runs, and prints what its comments say."""
        import contextlib
        import re
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
        with open(readme, encoding="utf-8") as f:
            code = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
        expected = [m.group(1).strip() for m in re.finditer(r"^print\(.*?\)[ \t]+# (.*)$", code, re.M)]
        self.assertGreaterEqual(len(expected), 3)
        code = code.replace('"examples/', '"' + os.path.join(ROOT, "examples") + "/")
        out = io.StringIO()
        with tempfile.TemporaryDirectory() as d:
            cwd = os.getcwd()
            os.chdir(d)
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(code, readme, "exec"), {})
            finally:
                os.chdir(cwd)
        lines = out.getvalue().splitlines()
        for want in expected:
            self.assertTrue(any(line == want for line in lines), "README says %r; printed:\n%s" % (want, out.getvalue()))


if __name__ == "__main__":
    unittest.main()
