// Clusters from case reports (vigil/detect.hpp): the table in tests/data/detect/cases.txt, the
// detection section's loading, and the plans' detection rules as data.
#include "test_support.hpp"
#include "report_gen.hpp"

#include <vigil/detect.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace vigil;
using vigil::test::data_path;
using vigil::test::split;

namespace {

// Hours after 2026-09-01T00:00:00+08:00.
instant at_hour(const std::string& h) { return parse_instant("2026-09-01T00:00:00+08:00").value() + boost::posix_time::minutes(static_cast<long>(std::stod(h) * 60)); }

// "id:patient:product/batch:onset_h:received_h:area:flag+flag"
std::vector<case_report> parse_reports(const plan& p, const std::string& text) {
    std::vector<case_report> out;
    for (const auto& e : split(text, ';')) {
        if (e.empty()) continue;
        auto f = split(e, ':');
        REQUIRE(f.size() >= 6);
        case_report r;
        r.report_id = f[0];
        r.patient_id = f[1];
        auto pb = split(f[2], '/');
        REQUIRE(pb.size() == 2);
        r.product_kind = p.find_product("drug").value();
        r.product_id = pb[0];
        r.product_name = pb[0];
        r.batch = pb[1];
        r.onset = at_hour(f[3]);
        r.received = at_hour(f[4]);
        r.area = parse_area_code(f[5]).value();
        if (f.size() > 6)
            for (const auto& fl : split(f[6], '+'))
                if (!fl.empty()) r.flags = static_cast<std::uint16_t>(r.flags | 1u << static_cast<int>(parse_report_flag(fl).value()));
        out.push_back(std::move(r));
    }
    return out;
}

std::string hours_of(const std::optional<instant>& t) {
    if (!t) return "-";
    const auto h = (*t - at_hour("0")).total_seconds() / 3600.0;
    std::ostringstream s;
    s << h;
    return s.str();
}

}  // namespace

TEST_CASE("the built-in plans say how detection counts their facts", "[detect]") {
    for (auto id : {"yuzhong", "guiyang"}) {
        INFO(id);
        auto p = builtin_plan(id).value();
        REQUIRE(p->detection);
        const auto& d = *p->detection;
        CHECK(d.window == boost::posix_time::hours(24 * 30));
        CHECK(d.batch_prefix == 0);
        CHECK_FALSE(d.reading.empty());
        std::map<std::string, const detection_fact*> by;
        for (const auto& f : d.facts) by[f.name] = &f;
        REQUIRE(by.size() == 4);
        CHECK(by["deaths"]->any == 1u << static_cast<int>(report_flag::death));
        CHECK(by["rare_cases"]->any == 1u << static_cast<int>(report_flag::rare));
        CHECK(by["severe_cases"]->any == ((1u << static_cast<int>(report_flag::life_threatening)) | (1u << static_cast<int>(report_flag::disability)) |
                                          (1u << static_cast<int>(report_flag::organ_damage))));
        CHECK(by["similar_cases_nearby"]->scope == detection_fact::scope_t::product);
        CHECK(by["similar_cases_nearby"]->none == 1u << static_cast<int>(report_flag::death));
    }
    // a plan without the section loads as before and detect says why it cannot run
    auto minimal = load_plan_file(data_path("plans/minimal.json")).value();
    CHECK_FALSE(minimal->detection);
    auto r = detect(*minimal, {});
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message(), Catch::Contains("no \"detection\" section"));
}

TEST_CASE("detection sections that are refused, each at its pointer", "[detect]") {
    auto rows = vigil::test::read_table(data_path("detect/bad_sections.txt"));
    REQUIRE(rows.size() >= 8);
    const std::string base = vigil::test::read_file(data_path("plans/minimal.json"));
    for (const auto& row : rows) {
        REQUIRE(row.cells.size() == 3);
        INFO("bad_sections.txt line " << row.line << ": " << row.cells[0]);
        std::string text = base;
        const auto close = text.rfind('}');
        text = text.substr(0, close) + ", \"detection\": " + row.cells[0] + "}";
        auto p = load_plan(text, "t.json");
        REQUIRE_FALSE(p);
        bool found = false;
        const error p_error = p.error();  // error() gives a copy: keep it alive over the loop
        for (const auto& d : p_error.diagnostics)
            found = found || (d.pointer == row.cells[1] && d.message.find(row.cells[2]) != std::string::npos);
        if (!found) FAIL(p.error().message());
    }
}

TEST_CASE("planted clusters: facts, grades, warnings and first crossings (table)", "[detect]") {
    auto rows = vigil::test::read_table(data_path("detect/cases.txt"));
    REQUIRE(rows.size() >= 15);
    for (const auto& row : rows) {
        REQUIRE(row.cells.size() == 5);
        INFO("cases.txt line " << row.line << ": " << row.cells[4]);
        auto p = find_plan(row.cells[0]).value();
        auto reports = parse_reports(*p, row.cells[1]);
        detect_options o;
        o.all = true;
        auto res = detect(*p, reports, o).value();
        auto sel = split(row.cells[2], ' ');
        REQUIRE(sel.size() >= 2);
        const std::string product_id = sel.size() > 2 ? sel[2] : "H1";
        const detected_cluster* c = nullptr;
        for (const auto& x : res.clusters)
            if (x.area.to_string() == sel[0] && x.batch == sel[1] && x.product_id == product_id) c = &x;
        if (row.cells[3] == "absent") {
            CHECK(c == nullptr);
            continue;
        }
        REQUIRE(c != nullptr);
        for (const auto& kv : split(row.cells[3], ' ')) {
            auto eq = kv.find('=');
            REQUIRE(eq != std::string::npos);
            const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
            INFO(kv);
            if (k == "grade") CHECK(to_string(c->graded.grade) == v);
            else if (k == "warning") CHECK(to_string(c->levels.warning) == v);
            else if (k == "response") CHECK(std::to_string(c->levels.response) == v);
            else if (k == "reasons") { std::string want = v; std::replace(want.begin(), want.end(), '_', ' '); CHECK(c->graded.reasons() == want); }
            else if (k == "reports") CHECK(std::to_string(c->report_ids.size()) == v);
            else if (k == "patients") CHECK(std::to_string(c->patients) == v);
            else if (k == "ids") {
                std::string ids;
                for (const auto& id : c->report_ids) ids += (ids.empty() ? "" : ",") + id;
                CHECK(ids == v);
            } else if (k == "dups") CHECK(std::to_string(res.duplicates.size()) == v);
            else if (k.rfind("first.", 0) == 0) {
                const auto what = k.substr(6);
                if (auto g = parse_grade(what)) CHECK(hours_of(c->grade_first[static_cast<int>(*g)]) == v);
                else CHECK(hours_of(c->warning_first[static_cast<int>(parse_warning_colour(what).value())]) == v);
            } else {
                const fact_def* f = p->find_fact(k);
                REQUIRE(f != nullptr);
                const auto got = c->facts.values[f->index];
                CHECK((f->kind == fact_kind::boolean ? (got ? "true" : "false") : std::to_string(got)) == v);
            }
        }
    }
}

TEST_CASE("a batch-prefix rule groups the batches of one run", "[detect]") {
    std::string text = vigil::test::read_file(VIGIL_SOURCE_DIR "/data/plans/guiyang.json");
    const std::string exact = "\"match\": \"exact\"";
    const auto at = text.find(exact);
    REQUIRE(at != std::string::npos);
    text.replace(at, exact.size(), "\"match\": \"prefix\", \"length\": 4");
    auto p = load_plan(text, "prefix.json").value();
    REQUIRE(p->detection->batch_prefix == 4);
    auto reports = parse_reports(*p, "A:P1:H1/2609A:0:1:520102:rare; B:P2:H1/2609B:1:2:520102:rare; C:P3:H1/2609C:2:3:520102:rare; D:P4:H1/2610A:3:4:520102:rare");
    auto res = detect(*p, reports).value();
    const detected_cluster* c = nullptr;
    for (const auto& x : res.clusters)
        if (x.area.to_string() == "520102") c = &x;
    REQUIRE(c != nullptr);
    CHECK(c->batch == "2609");
    CHECK(c->report_ids.size() == 3);
    CHECK(to_string(c->levels.warning) == std::string("yellow"));  // guiyang A3 黄色预警: 3 people
    // under the built-in exact rule the same reports make no warning: one person a batch
    auto exact_plan = builtin_plan("guiyang").value();
    CHECK(detect(*exact_plan, reports).value().clusters.empty());
}

TEST_CASE("planted clusters are found in a seeded stream of noise, duplicates and late reports", "[detect]") {
    auto p = builtin_plan("guiyang").value();
    vigil::bench::stream_options o;
    o.seed = 7;
    o.background = 20000;
    o.products = 400;
    // Noise without deaths or serious reactions: under the plans' reading one death with any other
    // case of the product in the area and window is already grade III (guiyang A1 较大(2)), which
    // the noise of a province reaches by chance.
    o.death_rate = 0;
    o.serious_rate = 0;
    // product, batch, county, rare, severe, deaths, others, start day, span h, lag h
    o.planted = {{"PLANT1", "L1", "520102", 4, 0, 0, 0, 20, 200, 30},    // guiyang A3 黄色预警 (3-5)
                 {"PLANT2", "L2", "520103", 7, 0, 0, 0, 60, 200, 30},    // guiyang A3 红色预警 (6-9)
                 {"PLANT3", "L3", "520111", 12, 0, 0, 0, 100, 300, 30},  // guiyang A1 一般(1) (10-19)
                 {"PLANT4", "L4", "520112", 0, 3, 0, 0, 140, 100, 30},   // guiyang A1 较大(1) (>= 3 severe)
                 {"PLANT5", "L5", "520113", 0, 0, 2, 1, 180, 100, 30}};  // guiyang A1 较大(2) (deaths and a survivor)
    const auto reports = vigil::bench::generate_reports(*p, o);
    auto res = detect(*p, reports).value();
    CHECK(res.duplicates.size() > 100);  // about 1 % given again
    CHECK(res.reports + res.duplicates.size() == reports.size());
    struct want {
        const char* product;
        const char* county;
        const char* grade;
        const char* warning;
        std::uint32_t rare, severe, deaths, patients;
    };
    for (const auto& w : {want{"PLANT1", "520102", "none", "yellow", 4, 0, 0, 4}, want{"PLANT2", "520103", "none", "red", 7, 0, 0, 7},
                          want{"PLANT3", "520111", "IV", "none", 12, 0, 0, 12}, want{"PLANT4", "520112", "III", "none", 0, 3, 0, 3},
                          want{"PLANT5", "520113", "III", "none", 0, 0, 2, 3}}) {
        INFO(w.product);
        const detected_cluster* c = nullptr;
        for (const auto& x : res.clusters)
            if (x.product_id == w.product && x.area.to_string() == w.county) c = &x;
        REQUIRE(c != nullptr);
        CHECK(to_string(c->graded.grade) == std::string(w.grade));
        CHECK(to_string(c->levels.warning) == std::string(w.warning));
        CHECK(c->facts.values[p->find_fact("rare_cases")->index] == w.rare);
        CHECK(c->facts.values[p->find_fact("severe_cases")->index] == w.severe);
        CHECK(c->facts.values[p->find_fact("deaths")->index] == w.deaths);
        CHECK(c->patients == w.patients);
        // every planted patient was received 30 h after onset: the crossing is the receipt of the
        // report that made the count, so it is one of the cluster's receipts
        const auto& first = std::string(w.grade) != "none" ? c->grade_first[static_cast<int>(parse_grade(w.grade).value())]
                                                            : c->warning_first[static_cast<int>(parse_warning_colour(w.warning).value())];
        REQUIRE(first);
        bool is_receipt = false;
        for (const auto& r : reports)
            if (r.product_id == w.product && r.received == *first) is_receipt = true;
        CHECK(is_receipt);
    }
    // that noise alone reaches no grade
    for (const auto& c : res.clusters)
        if (c.product_id.rfind("PLANT", 0) != 0) CHECK(c.graded.grade == grade::none);
}

TEST_CASE("the streaming detector: an archive fed in arrival order answers as detect, and alerts are first crossings", "[detect]") {
    auto p = builtin_plan("guiyang").value();
    vigil::bench::stream_options o;
    o.background = 3000;
    o.products = 40;
    o.days = 120;
    o.planted = {{"PLANT1", "L1", "520102", 4, 0, 0, 0, 20, 100, 30},   // yellow (3-5 rare)
                 {"PLANT4", "L4", "520112", 0, 3, 0, 0, 60, 100, 30}};  // 较大(1) (>= 3 severe)
    auto reports = vigil::bench::generate_reports(*p, o);
    std::stable_sort(reports.begin(), reports.end(), [](const case_report& a, const case_report& b) { return a.received < b.received; });
    detector_options keep;
    keep.keep_all = true;
    auto archive = detector::create(p, keep).value();
    auto bounded = detector::create(p).value();  // 90 days, as vigil watch
    std::vector<detect_alert> alerts, bounded_alerts;
    for (const auto& r : reports) {
        archive.feed(r, alerts);
        bounded.feed(r, bounded_alerts);
    }
    const auto whole = detect(*p, reports).value();
    const auto held = archive.clusters().value();
    REQUIRE(held.clusters.size() == whole.clusters.size());
    for (std::size_t i = 0; i < held.clusters.size(); ++i) CHECK(to_json(*p, held.clusters[i]) == to_json(*p, whole.clusters[i]));
    CHECK(archive.duplicates() == whole.duplicates.size());
    CHECK(archive.taken() == whole.reports);
    CHECK(archive.too_late() == 0);
    CHECK(archive.kept() == whole.reports);
    CHECK(bounded.kept() < archive.kept());  // windows expire
    // each planted cluster alerts at its county when it crosses, with the report that made it
    for (const auto& [product, county, alert] : {std::tuple{"PLANT1", "520102", "warning yellow"}, std::tuple{"PLANT4", "520112", "grade III"}}) {
        INFO(product);
        auto it = std::find_if(alerts.begin(), alerts.end(), [&](const detect_alert& a) {
            return a.cluster.product_id == product && a.cluster.area.to_string() == county && a.alert == alert;
        });
        REQUIRE(it != alerts.end());
        const auto g = it->alert.starts_with("grade") ? it->cluster.grade_first[static_cast<int>(it->cluster.graded.grade)]
                                                      : it->cluster.warning_first[static_cast<int>(it->cluster.levels.warning)];
        REQUIRE(g.has_value());
        const auto trigger = std::find_if(reports.begin(), reports.end(), [&](const case_report& r) { return r.report_id == it->trigger; });
        REQUIRE(trigger != reports.end());
        CHECK(*g == trigger->received);  // the alert comes with the receipt that crossed
    }
    CHECK(to_json(*p, alerts.front()).starts_with("{\"alert\":\"" + alerts.front().alert + "\",\"trigger\":\""));
    CHECK(!detector::create(builtin_plan("guiyang").value(), keep).value().clusters().value().clusters.size());
}

TEST_CASE("the clusters detect answers are those every cluster counted in full reaches (its shortcuts change no answer)", "[detect]") {
    // detect() leaves a group uncounted when a bound from its reports' flags reaches no grade or
    // warning, and makes a quiet cluster again for the spread facts only when a graded one could
    // count for it. With `all`, every cluster is counted in full: the graded, warned or crossed
    // ones of that answer must be detect()'s answer, cluster for cluster, in the same order.
    // Seeded streams with deaths and serious reactions in the noise, so that spread facts grade
    // clusters of other areas, of both plans.
    for (const char* plan_id : {"guiyang", "yuzhong"}) {
        for (std::uint64_t seed : {11u, 12u}) {
            INFO(plan_id << " seed " << seed);
            auto p = builtin_plan(plan_id).value();
            vigil::bench::stream_options o;
            o.seed = seed;
            o.background = 6000;
            o.products = 60;  // many reports a product: clusters of several reports at every level
            o.death_rate = 0.01;
            o.serious_rate = 0.03;
            o.planted = {{"PLANT1", "L1", "520102", 12, 0, 0, 0, 20, 200, 30}, {"PLANT2", "L2", "500103", 0, 0, 2, 1, 180, 100, 30}};
            auto reports = vigil::bench::generate_reports(*p, o);
            // a batch quiet by its own reports, graded by the spread facts: two streets of 渝中区
            // (yuzhong 1.5.3(3)) and two counties of 贵阳 (guiyang A1 较大(3)) with grade-IV events
            // of other batches of the product, cases.txt's rows made quiet for the third batch
            for (auto& r : parse_reports(*p, "X1:XP1:SPREAD/B1:0:10:500103001:life_threatening; X2:XP2:SPREAD/B1:1:20:500103001:life_threatening;"
                                             "X3:XP3:SPREAD/B2:0:30:500103002:life_threatening; X4:XP4:SPREAD/B2:1:40:500103002:life_threatening;"
                                             "X5:XP5:SPREAD/B3:2:50:500103003:;"
                                             "Y1:YP1:SPREAD2/B1:0:10:520102:disability; Y2:YP2:SPREAD2/B1:1:20:520102:disability;"
                                             "Y3:YP3:SPREAD2/B2:0:30:520103:disability; Y4:YP4:SPREAD2/B2:1:40:520103:disability;"
                                             "Y5:YP5:SPREAD2/B3:2:50:520111:"))
                reports.push_back(std::move(r));
            const auto some = detect(*p, reports).value();
            detect_options all;
            all.all = true;
            const auto every = detect(*p, reports, all).value();
            // the same reports as columns (what the readers make): the same answers, with and
            // without the shortcuts
            report_columns cols;
            for (const auto& r : reports) cols.push_back(r);
            const auto some_cols = detect_columns(*p, cols).value(), every_cols = detect_columns(*p, cols, all).value();
            REQUIRE(some_cols.clusters.size() == some.clusters.size());
            REQUIRE(every_cols.clusters.size() == every.clusters.size());
            for (std::size_t i = 0; i < some.clusters.size(); ++i) CHECK(to_json(*p, some_cols.clusters[i]) == to_json(*p, some.clusters[i]));
            for (std::size_t i = 0; i < every.clusters.size(); ++i) CHECK(to_json(*p, every_cols.clusters[i]) == to_json(*p, every.clusters[i]));
            CHECK(some_cols.duplicates == some.duplicates);
            CHECK(some_cols.reports == some.reports);
            std::vector<std::string> want, got;
            for (const auto& c : every.clusters) {
                bool crossed = false;
                for (const auto& t : c.grade_first) crossed = crossed || t.has_value();
                for (const auto& t : c.warning_first) crossed = crossed || t.has_value();
                if (crossed || c.graded.grade != grade::none || c.levels.warning != warning_colour::none) want.push_back(to_json(*p, c));
            }
            for (const auto& c : some.clusters) got.push_back(to_json(*p, c));
            CHECK(every.clusters.size() > want.size());  // quiet clusters were counted too
            // clusters graded or warned by the spread facts alone: quiet by their own facts
            std::size_t graded = 0, by_spread = 0;
            for (const auto& c : some.clusters) {
                graded += c.graded.grade != grade::none;
                fact_values own = c.facts;
                for (const auto& f : p->facts)
                    if (f.spread) own.values[f.index] = 0;
                const assessment a = classify(*p, own);
                const bool quiet = a.grade == grade::none && decide_levels(*p, own, a.grade, a.in_scope).warning == warning_colour::none;
                by_spread += quiet && (c.graded.grade != grade::none || c.levels.warning != warning_colour::none);
            }
            CHECK(graded > 0);
            CHECK(by_spread > 0);
            CHECK(got.size() == want.size());
            CHECK(got == want);
        }
    }
}

TEST_CASE("two products whose key fields read the same joined are two products, in the clusters and in the spread facts", "[detect]") {
    // guiyang A1 较大(3): grade-IV events of one product in two counties of 贵阳 grade the
    // prefecture's cluster III. With a key of product, id and name, ("S|X", "N") and ("S", "X|N")
    // joined by '|' both read "drug|S|X|N": they must not make one product's two counties.
    auto p = builtin_plan("guiyang").value();
    plan q = *p;
    auto rules = std::make_shared<detection_rules>(*q.detection);
    rules->product_key = {key_field::product_kind, key_field::product_id, key_field::product_name};
    q.detection = rules;
    struct row {
        const char *id1, *name1, *id2, *name2;
        bool grade_III;  // the prefecture 520100's cluster is graded III by the two counties
    };
    for (const row& r : {row{"S|X", "N", "S|X", "N", true}, row{"S|X", "N", "S", "X|N", false}, row{"S", "X\x1fN", "S\x1fX", "N", false}}) {
        INFO(r.id1 << " / " << r.name1 << " and " << r.id2 << " / " << r.name2);
        std::vector<case_report> reports;
        auto add = [&](const char* id, const char* pid, const char* name, const char* batch, const char* area, int hour) {
            case_report c;
            c.report_id = id;
            c.patient_id = std::string("P") + id;
            c.product_kind = q.find_product("drug").value();
            c.product_id = pid;
            c.product_name = name;
            c.batch = batch;
            c.onset = at_hour(std::to_string(hour));
            c.received = at_hour(std::to_string(hour + 10));
            c.area = parse_area_code(area).value();
            c.flags = 1u << static_cast<int>(report_flag::disability);
            reports.push_back(std::move(c));
        };
        add("Y1", r.id1, r.name1, "B1", "520102", 0);
        add("Y2", r.id1, r.name1, "B1", "520102", 1);
        add("Y3", r.id2, r.name2, "B2", "520103", 0);
        add("Y4", r.id2, r.name2, "B2", "520103", 1);
        const auto res = detect(q, reports).value();
        bool prefecture_III = false;
        std::set<std::string> keys;
        for (const auto& c : res.clusters) {
            keys.insert(c.product_id + "/" + c.product_name);
            if (c.area.level == area_level::prefecture && c.graded.grade == grade::III) prefecture_III = true;
        }
        CHECK(prefecture_III == r.grade_III);
        CHECK(keys.size() == (r.grade_III ? 1u : 2u));
        report_columns cols;
        for (const auto& x : reports) cols.push_back(x);
        const auto res_cols = detect_columns(q, cols).value();
        REQUIRE(res_cols.clusters.size() == res.clusters.size());
        for (std::size_t i = 0; i < res.clusters.size(); ++i) CHECK(to_json(q, res_cols.clusters[i]) == to_json(q, res.clusters[i]));
    }
}

TEST_CASE("report columns: texts interned once, uneven columns and ids outside their pool refused", "[detect]") {
    auto p = builtin_plan("guiyang").value();
    string_pool pool;
    CHECK(pool.intern("a") == 0);
    CHECK(pool.intern("bb") == 1);
    CHECK(pool.intern("a") == 0);
    pool.drop_index();
    CHECK(pool.intern("bb") == 1);  // the table made again
    CHECK(pool.intern("") == 2);
    CHECK(pool[1] == "bb");
    CHECK(pool.size() == 3);
    for (int k = 0; k < 5000; ++k) CHECK(pool.intern("t" + std::to_string(k)) == static_cast<std::uint32_t>(3 + k));
    CHECK(pool.intern("t4999") == 5002u);

    const auto reports = parse_reports(*p, "A:P1:X/B:0:1:520102:death; B:P2:X/B:2:3:520102:");
    report_columns cols;
    for (const auto& r : reports) cols.push_back(r);
    REQUIRE(detect_columns(*p, cols));
    auto uneven = cols;
    uneven.onset.pop_back();
    auto e = detect_columns(*p, uneven);
    REQUIRE(!e);
    CHECK(e.error().code == errc::invalid_input);
    CHECK(e.error().message().find("onset") != std::string::npos);
    auto outside = cols;
    outside.batch[1] = 7;
    e = detect_columns(*p, outside);
    REQUIRE(!e);
    CHECK(e.error().message().find("batch") != std::string::npos);
    auto bad_area = cols;
    bad_area.area[0] = 3;
    REQUIRE(!detect_columns(*p, bad_area));
    auto special = reports;
    special[1].onset = boost::posix_time::not_a_date_time;
    e = detect(*p, special);
    REQUIRE(!e);
    CHECK(e.error().message().find("reports[1].onset") != std::string::npos);
}
