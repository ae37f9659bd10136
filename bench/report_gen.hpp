// A seeded generator of realistic case-report streams, for tests and benchmarks of vigil::detect.
//
// Background noise: many products (drugs and devices) and batches, reports spread over the whole
// period and over the areas of a few provinces, a few of them rare or serious. Planted clusters:
// one product and batch, in one county (its streets), a known number of patients each with known
// flags, onsets within a given span. Duplicates: some reports given again with the same id. Late
// reports: some received long after their onset. The stream is in arrival (receipt) order.
#pragma once

#include <vigil/detect.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace vigil::bench {

struct planted_cluster {
    std::string product_id, batch;
    std::string county;            ///< 6-digit code; reports go to its streets (001–003)
    std::uint32_t rare = 0, severe = 0, deaths = 0, others = 0;  ///< patients of each kind
    int start_day = 0;             ///< onsets from this day of the period
    int span_hours = 240;          ///< … over this many hours
    int report_lag_hours = 48;     ///< receipt after onset
};

struct stream_options {
    std::uint64_t seed = 1;
    std::size_t background = 100000;  ///< noise reports
    std::size_t products = 5000;
    std::size_t batches_per_product = 8;
    int days = 365;
    double rare_rate = 0.05, serious_rate = 0.01, death_rate = 0.001;
    double duplicate_rate = 0.01;  ///< a report given again (same id)
    double late_rate = 0.05;       ///< received 30–90 days after onset
    std::vector<planted_cluster> planted;
};

/// 2026-01-01T00:00:00+08:00, the start of the period.
inline instant stream_start() { return parse_instant("2026-01-01T00:00:00+08:00").value(); }

inline std::vector<case_report> generate_reports(const plan& p, const stream_options& o) {
    std::mt19937_64 rng(o.seed);
    auto uni = [&](std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng); };
    auto chance = [&](double x) { return std::uniform_real_distribution<double>(0, 1)(rng) < x; };
    // areas: counties of a few provinces, streets under them
    static const char* counties[] = {"500103", "500104", "500105", "500106", "500107", "500108", "500112", "500113",
                                     "520102", "520103", "520111", "520112", "520113", "520115", "520122", "520181",
                                     "510104", "510105", "510106", "510107", "510108", "510112", "440103", "440104",
                                     "440105", "440106", "330102", "330105", "330106", "110101", "110102", "110105"};
    const std::size_t ncounties = sizeof counties / sizeof *counties;
    const product drug = p.find_product("drug").value_or(product{0});
    const product device = p.find_product("device").value_or(drug);
    const instant t0 = stream_start();
    std::vector<case_report> out;
    out.reserve(o.background + o.background / 50 + 1024);
    std::uint64_t next_id = 1, next_patient = 1;
    auto make = [&](product kind, std::string pid, std::string batch, std::string area, instant onset, long lag_minutes) {
        case_report r;
        r.report_id = "R" + std::to_string(next_id++);
        r.patient_id = "P" + std::to_string(next_patient++);
        r.product_kind = kind;
        r.product_id = std::move(pid);
        r.product_name = r.product_id;
        r.batch = std::move(batch);
        r.onset = onset;
        r.received = onset + boost::posix_time::minutes(lag_minutes);
        r.area = parse_area_code(area).value();
        return r;
    };
    for (std::size_t i = 0; i < o.background; ++i) {
        const std::size_t prod = uni(o.products);
        const product kind = prod % 5 == 4 ? device : drug;
        std::string area = counties[uni(ncounties)];
        if (chance(0.5)) area += "00" + std::to_string(1 + uni(9));
        const instant onset = t0 + boost::posix_time::minutes(static_cast<long>(uni(static_cast<std::uint64_t>(o.days) * 24 * 60)));
        const long lag = chance(o.late_rate) ? static_cast<long>((30 + uni(60)) * 24 * 60) : static_cast<long>(60 + uni(14 * 24 * 60));
        auto r = make(kind, "N" + std::to_string(prod), "B" + std::to_string(uni(o.batches_per_product)), area, onset, lag);
        if (chance(o.rare_rate)) r.flags |= 1u << static_cast<int>(report_flag::rare);
        if (chance(o.serious_rate)) r.flags |= 1u << static_cast<int>(report_flag::hospitalisation);
        if (chance(o.serious_rate / 4)) r.flags |= 1u << static_cast<int>(report_flag::life_threatening);
        if (chance(o.death_rate)) r.flags |= 1u << static_cast<int>(report_flag::death);
        out.push_back(std::move(r));
    }
    for (const auto& c : o.planted) {
        auto add = [&](std::uint32_t n, std::uint16_t flags) {
            for (std::uint32_t k = 0; k < n; ++k) {
                const instant onset = t0 + boost::posix_time::hours(24L * c.start_day) +
                                      boost::posix_time::minutes(static_cast<long>(uni(static_cast<std::uint64_t>(c.span_hours) * 60)));
                auto r = make(drug, c.product_id, c.batch, c.county + "00" + std::to_string(1 + uni(3)), onset, c.report_lag_hours * 60L);
                r.flags = flags;
                out.push_back(std::move(r));
            }
        };
        add(c.rare, 1u << static_cast<int>(report_flag::rare));
        add(c.severe, 1u << static_cast<int>(report_flag::life_threatening));
        add(c.deaths, 1u << static_cast<int>(report_flag::death));
        add(c.others, 1u << static_cast<int>(report_flag::hospitalisation));
    }
    // duplicates: the same report again, received a little later
    const std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i)
        if (chance(o.duplicate_rate)) {
            case_report d = out[i];
            d.received += boost::posix_time::hours(1 + static_cast<long>(uni(72)));
            out.push_back(std::move(d));
        }
    std::stable_sort(out.begin(), out.end(), [](const case_report& a, const case_report& b) { return a.received < b.received; });
    return out;
}

}  // namespace vigil::bench
