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
#include <map>
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

/// A generated report, compact (texts by index into generated::texts): ten million of them fit.
struct generated_row {
    std::uint32_t serial;                // report "R<serial>", patient "P<serial>" (a duplicate keeps its original's)
    std::uint32_t product, batch, area;  // indices into generated::texts
    std::int32_t onset, received;        // minutes after stream_start()
    std::uint16_t flags;
    vigil::product kind;
};
struct generated {
    std::vector<std::string> texts;
    std::vector<generated_row> rows;  ///< in arrival (receipt) order
};

inline generated generate_rows(const plan& p, const stream_options& o) {
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
    generated g;
    std::map<std::string, std::uint32_t> text_ids;
    auto text = [&](const std::string& t) {
        auto [it, fresh] = text_ids.emplace(t, static_cast<std::uint32_t>(g.texts.size()));
        if (fresh) g.texts.push_back(t);
        return it->second;
    };
    auto& out = g.rows;
    out.reserve(o.background + o.background / 50 + 1024);
    std::uint32_t next_serial = 1;
    auto make = [&](product kind, const std::string& pid, const std::string& batch, const std::string& area, std::int32_t onset, std::int32_t lag_minutes) {
        return generated_row{next_serial++, text(pid), text(batch), text(area), onset, onset + lag_minutes, 0, kind};
    };
    for (std::size_t i = 0; i < o.background; ++i) {
        const std::size_t prod = uni(o.products);
        const product kind = prod % 5 == 4 ? device : drug;
        std::string area = counties[uni(ncounties)];
        if (chance(0.5)) area += "00" + std::to_string(1 + uni(9));
        const auto onset = static_cast<std::int32_t>(uni(static_cast<std::uint64_t>(o.days) * 24 * 60));
        const auto lag = static_cast<std::int32_t>(chance(o.late_rate) ? (30 + uni(60)) * 24 * 60 : 60 + uni(14 * 24 * 60));
        auto r = make(kind, "N" + std::to_string(prod), "B" + std::to_string(uni(o.batches_per_product)), area, onset, lag);
        if (chance(o.rare_rate)) r.flags |= 1u << static_cast<int>(report_flag::rare);
        if (chance(o.serious_rate)) r.flags |= 1u << static_cast<int>(report_flag::hospitalisation);
        if (chance(o.serious_rate / 4)) r.flags |= 1u << static_cast<int>(report_flag::life_threatening);
        if (chance(o.death_rate)) r.flags |= 1u << static_cast<int>(report_flag::death);
        out.push_back(r);
    }
    for (const auto& c : o.planted) {
        auto add = [&](std::uint32_t n, std::uint16_t flags) {
            for (std::uint32_t k = 0; k < n; ++k) {
                const auto onset = static_cast<std::int32_t>(24L * 60 * c.start_day + static_cast<long>(uni(static_cast<std::uint64_t>(c.span_hours) * 60)));
                auto r = make(drug, c.product_id, c.batch, c.county + "00" + std::to_string(1 + uni(3)), onset, c.report_lag_hours * 60);
                r.flags = flags;
                out.push_back(r);
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
            generated_row d = out[i];
            d.received += static_cast<std::int32_t>(60 * (1 + uni(72)));
            out.push_back(d);
        }
    std::stable_sort(out.begin(), out.end(), [](const generated_row& a, const generated_row& b) { return a.received < b.received; });
    return g;
}

inline std::vector<case_report> generate_reports(const plan& p, const stream_options& o) {
    const generated g = generate_rows(p, o);
    const instant t0 = stream_start();
    std::vector<case_report> out;
    out.reserve(g.rows.size());
    for (const auto& x : g.rows) {
        case_report r;
        r.report_id = "R" + std::to_string(x.serial);
        r.patient_id = "P" + std::to_string(x.serial);
        r.product_kind = x.kind;
        r.product_id = g.texts[x.product];
        r.product_name = r.product_id;
        r.batch = g.texts[x.batch];
        r.onset = t0 + boost::posix_time::minutes(x.onset);
        r.received = t0 + boost::posix_time::minutes(x.received);
        r.area = parse_area_code(g.texts[x.area]).value();
        r.flags = x.flags;
        out.push_back(std::move(r));
    }
    return out;
}

/// The same stream as columns (what the readers of `vigil detect` make), without a case_report.
inline report_columns generate_columns(const plan& p, const stream_options& o) {
    const generated g = generate_rows(p, o);
    const std::int64_t t0 = unix_seconds(stream_start());
    std::vector<area_code> areas(g.texts.size());
    for (const auto& x : g.rows) areas[x.area] = parse_area_code(g.texts[x.area]).value();
    report_columns c;
    c.reserve(g.rows.size());
    std::string id, patient;
    for (const auto& x : g.rows) {
        id = "R" + std::to_string(x.serial);
        patient = "P" + std::to_string(x.serial);
        report_columns::fields f;
        f.report_id = id;
        f.patient_id = patient;
        f.product_kind = x.kind;
        f.product_id = f.product_name = g.texts[x.product];
        f.batch = g.texts[x.batch];
        f.onset = t0 + 60 * std::int64_t{x.onset};
        f.received = t0 + 60 * std::int64_t{x.received};
        f.area = areas[x.area];
        f.flags = x.flags;
        c.push_back(f);
    }
    c.drop_indexes();
    return c;
}

}  // namespace vigil::bench
