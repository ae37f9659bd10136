// The C ABI: case reports to graded clusters, through one streaming detector (vigil::detector).
#include "capi.hpp"

#include <vigil/detail/answer_json.hpp>

#include <string>
#include <vector>

using namespace vigil::capi;

namespace {

constexpr const char* fn_feed = "vigil_detector_feed";

int bad_report(std::size_t i, const char* field, const std::string& what) {
    return fail(VIGIL_EINVALID_INPUT, std::string(fn_feed) + ": reports[" + std::to_string(i) + "]." + field + ": " + what);
}

// One report of the batch as the library's, or the status of what is wrong with it.
int to_report(vigil::case_report& out, const vigil::plan& p, const vigil_case_report& in, std::size_t i) {
    struct text_field {
        const char* name;
        const char* value;
        std::string* into;
        bool required;
    };
    const text_field texts[] = {{"report_id", in.report_id, &out.report_id, true},
                                {"patient_id", in.patient_id, &out.patient_id, true},
                                {"product_id", in.product_id, &out.product_id, true},
                                {"product_name", in.product_name, &out.product_name, true},
                                {"batch", in.batch, &out.batch, true},
                                {"maker", in.maker, &out.maker, false},
                                {"dosage_form", in.dosage_form, &out.dosage_form, false},
                                {"strength", in.strength, &out.strength, false}};
    for (const auto& t : texts) {
        if (!t.value || !*t.value) {
            if (t.required) return bad_report(i, t.name, t.value ? "empty; expected a value" : "NULL; expected a string");
            continue;
        }
        *t.into = t.value;
    }
    if (in.product_kind < 0 || static_cast<std::size_t>(in.product_kind) >= p.products.size())
        return bad_report(i, "product_kind", std::to_string(in.product_kind) + ": expected the index of one of the plan's products (" +
                                                 p.product_ids() + ")");
    out.product_kind = vigil::product{static_cast<std::uint8_t>(in.product_kind)};
    const std::string at = "reports[" + std::to_string(i) + "].";
    auto on = to_instant(in.onset_time, fn_feed, (at + "onset_time").c_str());
    if (!on) return fail(VIGIL_EINVALID_INPUT, on.error().message());
    auto rc = to_instant(in.received_time, fn_feed, (at + "received_time").c_str());
    if (!rc) return fail(VIGIL_EINVALID_INPUT, rc.error().message());
    if (*rc < *on) return bad_report(i, "received_time", "received before the onset: expected a receipt at or after the onset");
    out.onset = *on;
    out.received = *rc;
    if (!in.area_code) return bad_report(i, "area_code", "NULL; expected a GB/T 2260 code");
    auto a = vigil::parse_area_code(in.area_code);
    if (!a) return bad_report(i, "area_code", a.error().message());
    out.area = *a;
    if (in.flags >> vigil::report_flag_count)
        return bad_report(i, "flags", "bits above VIGIL_REPORT_RARE set; expected bits (1 << enum vigil_report_flag)");
    out.flags = static_cast<std::uint16_t>(in.flags);
    return VIGIL_OK;
}

}  // namespace

extern "C" {

int vigil_detector_create(vigil_detector** out, const vigil_plan* plan, int32_t max_delay_days, uint32_t level_mask) {
    return guard("vigil_detector_create", [&]() -> int {
        constexpr const char* fn = "vigil_detector_create";
        if (!out) return null_argument(fn, "out");
        *out = nullptr;
        if (!plan) return null_argument(fn, "plan");
        if (max_delay_days != VIGIL_DETECTOR_KEEP_ALL && (max_delay_days < 0 || max_delay_days > 3650))
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": max_delay_days " + std::to_string(max_delay_days) +
                                                  ": expected 0 to 3650, or VIGIL_DETECTOR_KEEP_ALL (-1)");
        if (level_mask >> 4)
            return fail(VIGIL_EINVALID_INPUT, std::string(fn) + ": level_mask " + std::to_string(level_mask) +
                                                  ": expected bits (1 << enum vigil_area_level), 0 to 15");
        vigil::detector_options o;
        if (max_delay_days == VIGIL_DETECTOR_KEEP_ALL) o.keep_all = true;
        else o.max_delay = boost::posix_time::hours(24L * max_delay_days);
        for (int l = 0; l < 4; ++l)
            if (level_mask >> l & 1u) o.levels.push_back(static_cast<vigil::area_level>(l));
        auto d = vigil::detector::create(plan->plan, o);
        if (!d) return fail(d.error());
        *out = new vigil_detector{std::move(*d), level_mask};
        return VIGIL_OK;
    });
}

void vigil_detector_free(vigil_detector* detector) { delete detector; }

int vigil_detector_feed(char** out_alerts, size_t* out_alert_count, vigil_detector* detector, const vigil_case_report* reports,
                        size_t count) {
    return guard(fn_feed, [&]() -> int {
        if (out_alerts) *out_alerts = nullptr;
        if (out_alert_count) *out_alert_count = 0;
        if (!detector) return null_argument(fn_feed, "detector");
        if (!reports && count != 0) return null_argument(fn_feed, "reports");
        const vigil::plan& p = detector->det.rules();
        std::vector<vigil::case_report> batch(count);
        for (std::size_t i = 0; i < count; ++i)
            if (int rc = to_report(batch[i], p, reports[i], i); rc != VIGIL_OK) return rc;
        std::vector<vigil::detect_alert> alerts;
        std::string text;
        std::size_t n = 0;
        for (auto& r : batch) {
            alerts.clear();
            detector->det.feed(std::move(r), alerts);
            for (const auto& a : alerts) {
                vigil::detail::answer_json::detected_cluster(text, p, a.cluster, &a);
                text += '\n';
                ++n;
            }
        }
        if (out_alerts) *out_alerts = dup_string(text);
        if (out_alert_count) *out_alert_count = n;
        return VIGIL_OK;
    });
}

int vigil_detector_clusters_json(char** out_jsonl, const vigil_detector* detector, int all) {
    return guard("vigil_detector_clusters_json", [&]() -> int {
        constexpr const char* fn = "vigil_detector_clusters_json";
        if (!out_jsonl) return null_argument(fn, "out_jsonl");
        *out_jsonl = nullptr;
        if (!detector) return null_argument(fn, "detector");
        vigil::detect_options o;
        o.all = all != 0;
        auto res = detector->det.clusters(o);
        if (!res) return fail(res.error());
        const vigil::plan& p = detector->det.rules();
        std::string text;
        for (const auto& c : res->clusters) {
            if (detector->level_mask && !(detector->level_mask >> static_cast<int>(c.area.level) & 1u)) continue;
            vigil::detail::answer_json::detected_cluster(text, p, c);
            text += '\n';
        }
        *out_jsonl = dup_string(text);
        return VIGIL_OK;
    });
}

int vigil_detector_stats(vigil_detector_counts* out, const vigil_detector* detector) {
    return guard("vigil_detector_stats", [&]() -> int {
        constexpr const char* fn = "vigil_detector_stats";
        if (!out) return null_argument(fn, "out");
        *out = vigil_detector_counts{};
        if (!detector) return null_argument(fn, "detector");
        out->taken = detector->det.taken();
        out->duplicates = detector->det.duplicates();
        out->too_late = detector->det.too_late();
        out->alerts = detector->det.alerts();
        out->kept = detector->det.kept();
        return VIGIL_OK;
    });
}

}  // extern "C"
