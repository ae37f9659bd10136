// libFuzzer target: the C ABI's string and batch entry points. The first byte chooses the call;
// the rest is its input. Every status must be a listed one, every string freed by the library.
// Call 7 is the detector (vigil_detector_*): its input is a mode byte, then case reports as text
// lines in batches (see feed_detector).
#include <vigil/vigil.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void check_status(int rc) {
    if (rc > 0 || (rc != 0 && std::strcmp(vigil_status_string(rc), "unknown status") == 0)) std::abort();
}

const vigil_plan* builtin(int i) {
    static vigil_plan* plans[2] = {nullptr, nullptr};
    if (!plans[i]) vigil_plan_builtin(&plans[i], i ? "guiyang" : "yuzhong");
    return plans[i];
}

// A field of a report line: NULL when the line has fewer fields (the ABI takes NULL for an optional
// field and names a NULL required one), else the text up to the next ',' ("" is a field given empty).
struct report_line {
    std::vector<std::string> fields;
    const char* at(std::size_t i) const { return i < fields.size() ? fields[i].c_str() : nullptr; }
    long long number(std::size_t i) const { return i < fields.size() ? std::strtoll(fields[i].c_str(), nullptr, 10) : 0; }
};

// An instant: a small number is minutes from 2026-08-29 (so reports fall in one window), a large one
// is seconds as given (times outside the years taken, negative, INT64 bounds).
int64_t instant(long long v) {
    constexpr int64_t base = 1788000000;
    return (v > -100000000LL && v < 100000000LL) ? base + static_cast<int64_t>(v) * 60 : static_cast<int64_t>(v);
}

// The detector fed odd batches. Mode byte: bits 0-3 the level mask; bits 4-5 max_delay_days (90,
// VIGIL_DETECTOR_KEEP_ALL, 0, or 4000: refused); bit 6 clusters with `all`; bit 7 NULL for the
// optional outputs. Then lines "report_id,patient_id,kind,product_id,product_name,batch,maker,
// dosage_form,strength,onset,received,area_code,flags", an empty line closing a batch.
void feed_detector(const vigil_plan* plan, const char* text, std::size_t n) {
    if (n == 0) return;
    const unsigned mode = static_cast<unsigned char>(text[0]);
    static const int32_t delays[4] = {90, VIGIL_DETECTOR_KEEP_ALL, 0, 4000};
    vigil_detector* d = nullptr;
    const int rc = vigil_detector_create(&d, plan, delays[(mode >> 4) & 3], mode & 15u);
    check_status(rc);
    if (rc != VIGIL_OK) {
        if (d) std::abort();  // a failed create leaves *out NULL
        return;
    }
    const bool all = mode & 64u, null_out = mode & 128u;
    std::vector<std::vector<report_line>> batches(1);
    std::string line;
    std::size_t lines = 0;
    for (std::size_t i = 1; i <= n && lines < 512; ++i) {
        if (i < n && text[i] != '\n') {
            line += text[i];
            continue;
        }
        ++lines;
        if (line.empty()) {
            batches.emplace_back();
        } else {
            report_line r;
            std::size_t from = 0;
            for (;;) {
                const std::size_t comma = line.find(',', from);
                r.fields.push_back(line.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
                if (comma == std::string::npos) break;
                from = comma + 1;
            }
            batches.back().push_back(std::move(r));
        }
        line.clear();
    }
    for (const auto& batch : batches) {
        std::vector<vigil_case_report> reports(batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const report_line& r = batch[i];
            vigil_case_report& c = reports[i];
            c.report_id = r.at(0);
            c.patient_id = r.at(1);
            const long long kind = r.number(2);
            c.product_kind = kind < INT32_MIN ? INT32_MIN : kind > INT32_MAX ? INT32_MAX : static_cast<int32_t>(kind);
            c.product_id = r.at(3);
            c.product_name = r.at(4);
            c.batch = r.at(5);
            c.maker = r.at(6);
            c.dosage_form = r.at(7);
            c.strength = r.at(8);
            c.onset_time = instant(r.number(9));
            c.received_time = instant(r.number(10));
            c.area_code = r.at(11);
            c.flags = static_cast<uint32_t>(r.number(12));
        }
        char* alerts = nullptr;
        std::size_t count = 0;
        const vigil_case_report* data = reports.empty() ? nullptr : reports.data();  // NULL with 0: allowed
        if (null_out) {
            check_status(vigil_detector_feed(nullptr, nullptr, d, data, reports.size()));
        } else {
            const int frc = vigil_detector_feed(&alerts, &count, d, data, reports.size());
            check_status(frc);
            if (frc == VIGIL_OK && !alerts) std::abort();           // "" when there is none
            if (frc != VIGIL_OK && (alerts || count)) std::abort();  // nothing given on failure
            std::size_t lines_out = 0;
            for (const char* p = alerts; p && *p; ++p) lines_out += *p == '\n';
            if (lines_out != count) std::abort();  // one alert a line
            vigil_string_free(alerts);
        }
        char* clusters = nullptr;
        check_status(vigil_detector_clusters_json(&clusters, d, all ? 1 : 0));
        vigil_string_free(clusters);
        vigil_detector_counts counts{};
        check_status(vigil_detector_stats(&counts, d));
    }
    // NULLs the ABI names: a NULL detector, a NULL batch with a count, NULL outputs
    check_status(vigil_detector_feed(nullptr, nullptr, nullptr, nullptr, 0));
    check_status(vigil_detector_feed(nullptr, nullptr, d, nullptr, 1));
    check_status(vigil_detector_clusters_json(nullptr, d, 0));
    check_status(vigil_detector_stats(nullptr, d));
    vigil_detector_free(d);
    vigil_detector_free(nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned op = data[0];
    const char* text = reinterpret_cast<const char*>(data + 1);
    const std::size_t n = size - 1;
    const vigil_plan* plan = builtin(op & 1);
    char* out = nullptr;
    // % 8: the seeds' first bytes (0 to 13) keep their calls; 14 and 15 are the detector
    switch ((op >> 1) % 8) {
        case 0: {
            vigil_plan* p = nullptr;
            check_status(vigil_plan_load_buffer(&p, text, n, "<fuzz>"));
            if (p) {
                check_status(vigil_plan_info_json(&out, p));
                vigil_string_free(out);
            }
            vigil_plan_free(p);
            break;
        }
        case 1: {
            vigil_calendar* c = nullptr;
            check_status(vigil_calendar_load_buffer(&c, text, n, "<fuzz>"));
            if (c) {
                int64_t t = 0;
                check_status(vigil_calendar_add_working_days(&t, c, 1790000000, INT32_MIN));
                check_status(vigil_calendar_add_working_days(&t, c, 1790000000, 7));
            }
            vigil_calendar_free(c);
            break;
        }
        case 2:
            check_status(vigil_deadlines_json(&out, plan, nullptr, text, n, VIGIL_TIME_NONE));
            vigil_string_free(out);
            break;
        case 3:
            check_status(vigil_audit_json(&out, plan, nullptr, text, n, 1790000000));
            vigil_string_free(out);
            break;
        case 4:
            check_status(vigil_incident_replay_json(&out, plan, text, n));
            vigil_string_free(out);
            break;
        case 5: {
            // a batch: the bytes as fact columns of uint32 values (as many clusters as fit)
            const std::size_t count = n / (4 * VIGIL_FACT_COUNT + 1);
            if (count == 0) break;  // memcpy of nothing into an empty vector's null data() is undefined
            std::vector<std::vector<uint32_t>> cols(VIGIL_FACT_COUNT, std::vector<uint32_t>(count));
            std::vector<const uint32_t*> ptrs(VIGIL_FACT_COUNT);
            std::vector<uint8_t> products(count), grades(count), warnings(count), responses(count);
            std::vector<uint64_t> matched(count);
            for (std::size_t f = 0; f < VIGIL_FACT_COUNT; ++f) {
                std::memcpy(cols[f].data(), data + 1 + f * 4 * count, 4 * count);
                ptrs[f] = cols[f].data();
            }
            std::memcpy(products.data(), data + 1 + VIGIL_FACT_COUNT * 4 * count, count);
            check_status(vigil_classify_batch(grades.data(), matched.data(), plan, count, ptrs.data(), VIGIL_FACT_COUNT,
                                              products.data()));
            check_status(vigil_classify_batch_ex(grades.data(), matched.data(), warnings.data(), responses.data(), plan,
                                                 count, ptrs.data(), VIGIL_FACT_COUNT, products.data(), nullptr, 0));
            break;
        }
        case 6: {
            vigil_plan* p = nullptr;
            check_status(vigil_plan_load_buffer(&p, text, n, nullptr));
            vigil_plan_free(p);
            break;
        }
        case 7:
            feed_detector(plan, text, n);
            break;
    }
    return 0;
}
