// Loading a plan's "detection" section (docs/detect.md): how facts are counted from case reports.
#include "detail/loader.hpp"

#include <vigil/detect.hpp>

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace {
constexpr std::string_view flag_names[report_flag_count] = {"death",           "life_threatening",   "disability",
                                                            "organ_damage",    "hospitalisation",    "congenital_anomaly",
                                                            "other_serious",   "rare"};
constexpr std::string_view key_names[] = {"product_kind", "product_id", "product_name", "maker", "dosage_form", "strength"};
}  // namespace

std::string_view to_string(report_flag f) noexcept { return flag_names[static_cast<int>(f)]; }

std::optional<report_flag> parse_report_flag(std::string_view s) noexcept {
    for (int i = 0; i < report_flag_count; ++i)
        if (flag_names[i] == s) return static_cast<report_flag>(i);
    return std::nullopt;
}

std::string_view to_string(key_field f) noexcept { return key_names[static_cast<int>(f)]; }

namespace detail {

// The fixed keys of a detected cluster's JSON object: a fact detection writes may not take one.
const std::vector<std::string_view>& cluster_json_keys() {
    static const std::vector<std::string_view> k = {
        "plan",         "plan_version", "plan_sha256",
        "product_kind", "product_id", "product_name", "product_key", "batch", "area_code", "area_level",
        "window_from",  "window_to",  "grade",        "grade_zh",    "computed_grade", "reasons", "warning",
        "response",     "patients",   "reports",      "report_ids",  "first_crossed",  "spread",  "decision", "facts"};
    return k;
}

void load_detection(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/detection";
    const auto* o = ld.object(v, ptr, {"clause", "text", "reading", "window", "product_key", "batch", "facts"},
                              {"clause", "window", "facts"});
    if (!o) return;
    auto d = std::make_shared<detection_rules>();
    d->clause = ld.string(*o, "clause", ptr, false).value_or("");
    d->text = ld.string(*o, "text", ptr, false).value_or("");
    ld.reading(*o, ptr, d->reading, d->reading_zh);
    if (const auto* w = o->if_contains("window")) {
        const std::string wptr = loader::child(ptr, "window");
        if (const auto* wo = ld.object(*w, wptr, {"days", "hours"})) {
            if (wo->size() != 1) ld.fail(wptr, "dplan.days_or_hours", {});
            else if (auto n = ld.integer(*wo, "days", wptr, false, 1, 3660)) {
                d->window = boost::posix_time::hours(24 * *n);
                d->window_written = std::to_string(*n) + (*n == 1 ? " day" : " days");
            } else if (auto h = ld.integer(*wo, "hours", wptr, false, 1, 24 * 3660)) {
                d->window = boost::posix_time::hours(*h);
                d->window_written = std::to_string(*h) + (*h == 1 ? " hour" : " hours");
            }
        }
    }
    if (o->contains("product_key")) {
        d->product_key.clear();
        const std::string kptr = loader::child(ptr, "product_key");
        for (const auto& s : strings(*o, "product_key", ptr, ld)) {
            auto it = std::find(std::begin(key_names), std::end(key_names), s);
            if (it == std::end(key_names)) {
                ld.fail(kptr, "dplan.unknown_key_field", {{"field", s}});
                continue;
            }
            auto f = static_cast<key_field>(it - std::begin(key_names));
            if (std::find(d->product_key.begin(), d->product_key.end(), f) != d->product_key.end())
                ld.fail(kptr, "dplan.key_twice", {{"field", s}});
            else d->product_key.push_back(f);
        }
        if (std::find(d->product_key.begin(), d->product_key.end(), key_field::product_kind) == d->product_key.end())
            ld.fail(kptr, "dplan.key_needs_kind", {});
        if (std::find(d->product_key.begin(), d->product_key.end(), key_field::product_id) == d->product_key.end() &&
            std::find(d->product_key.begin(), d->product_key.end(), key_field::product_name) == d->product_key.end())
            ld.fail(kptr, "dplan.key_needs_product", {});
    }
    if (const auto* b = o->if_contains("batch")) {
        const std::string bptr = loader::child(ptr, "batch");
        if (const auto* bo = ld.object(*b, bptr, {"match", "length", "reading"}, {"match"})) {
            auto m = ld.one_of(*bo, "match", bptr, {"exact", "prefix"});
            auto len = ld.integer(*bo, "length", bptr, false, 1, 64);
            std::string en, zh;
            ld.reading(*bo, bptr, en, zh);
            if (m && *m == "prefix") {
                if (!len) ld.fail(bptr, "dplan.prefix_length", {});
                else d->batch_prefix = static_cast<std::uint32_t>(*len);
            } else if (m && len) {
                ld.fail(loader::child(bptr, "length"), "dplan.length_without_prefix", {});
            }
        }
    }
    const auto* fa = ld.array(*o, "facts", ptr, false);
    const std::string fptr = loader::child(ptr, "facts");
    std::vector<bool> seen(p.facts.size(), false);
    if (fa) {
        if (fa->empty()) ld.fail(fptr, "dplan.no_facts", {});
        for (std::size_t i = 0; i < fa->size(); ++i) {
            const std::string iptr = loader::child(fptr, i);
            const auto* fo = ld.object((*fa)[i], iptr, {"fact", "patients", "scope", "at_least", "reading"}, {"fact", "patients"});
            if (!fo) continue;
            detection_fact df;
            df.name = ld.string(*fo, "fact", iptr, false).value_or("");
            const fact_def* f = p.find_fact(df.name);
            if (fo->contains("fact")) {
                if (!f || f->name != df.name) {
                    ld.fail(loader::child(iptr, "fact"), "plan.unknown_fact_declared", {{"fact", df.name}, {"known", p.fact_names_arg()}});
                    f = nullptr;
                } else if (f->kind != fact_kind::count && f->kind != fact_kind::boolean) {
                    ld.fail(loader::child(iptr, "fact"), "dplan.fact_kind", {{"fact", df.name}, {"kind", std::string(to_string(f->kind))}});
                    f = nullptr;
                } else if (f->spread) {
                    ld.fail(loader::child(iptr, "fact"), "dplan.spread_fact", {{"fact", df.name}});
                    f = nullptr;
                } else if (seen[f->index]) {
                    ld.fail(loader::child(iptr, "fact"), "dplan.counted_twice", {{"fact", df.name}});
                    f = nullptr;
                } else {
                    seen[f->index] = true;
                    df.fact = f->index;
                }
            }
            if (const auto* pv = fo->if_contains("patients")) {
                const std::string pptr = loader::child(iptr, "patients");
                if (const auto* po = ld.object(*pv, pptr, {"any", "none"})) {
                    for (auto which : {"any", "none"}) {
                        std::uint16_t mask = 0;
                        const std::string wptr = loader::child(pptr, which);
                        for (const auto& s : strings(*po, which, pptr, ld)) {
                            auto flag = parse_report_flag(s);
                            if (!flag)
                                ld.fail(wptr, "dplan.unknown_report_field", {{"field", s}});
                            else mask = static_cast<std::uint16_t>(mask | 1u << static_cast<int>(*flag));
                        }
                        (std::string_view(which) == "any" ? df.any : df.none) = mask;
                    }
                    if (df.any & df.none) ld.fail(pptr, "dplan.any_and_none", {});
                }
            }
            if (auto s = ld.one_of(*fo, "scope", iptr, {"cluster", "product"}, false))
                df.scope = *s == "product" ? detection_fact::scope_t::product : detection_fact::scope_t::cluster;
            if (auto n = ld.integer(*fo, "at_least", iptr, false, 1, UINT32_MAX)) {
                if (f && f->kind != fact_kind::boolean)
                    ld.fail(loader::child(iptr, "at_least"), "dplan.at_least_on_count", {});
                df.at_least = static_cast<std::uint32_t>(*n);
            }
            ld.reading(*fo, iptr, df.reading, df.reading_zh);
            if (f) {
                for (auto k : cluster_json_keys())
                    if (k == f->name) ld.fail(loader::child(iptr, "fact"), "dplan.fact_reserved", {{"fact", f->name}});
                d->facts.push_back(std::move(df));
            }
        }
    }
    for (const auto& f : p.facts)
        if (f.spread)
            for (auto k : cluster_json_keys())
                if (k == f.name) ld.fail(fptr, "dplan.spread_reserved", {{"fact", f.name}});
    p.detection = std::move(d);
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
