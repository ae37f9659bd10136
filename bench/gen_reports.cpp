// vigil_gen_reports N [SEED]: a seeded stream of N background case reports with planted clusters,
// duplicates and late reports (report_gen.hpp), as the CSV `vigil detect` reads, in arrival order.
#include "report_gen.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: vigil_gen_reports N [SEED] > reports.csv\n";
        return 2;
    }
    using namespace vigil;
    auto p = builtin_plan("guiyang").value();
    bench::stream_options o;
    o.background = std::strtoull(argv[1], nullptr, 10);
    o.seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20261129;
    o.products = std::max<std::size_t>(50, o.background / 200);
    for (int k = 0; k < 20; ++k)
        o.planted.push_back({"PLANT" + std::to_string(k), "L" + std::to_string(k), k % 2 ? "520102" : "500103",
                             static_cast<std::uint32_t>(3 + k), static_cast<std::uint32_t>(k % 4), static_cast<std::uint32_t>(k % 3), 2,
                             10 + 15 * k, 240, 48});
    const auto reports = bench::generate_reports(*p, o);
    std::ios::sync_with_stdio(false);
    std::cout << "report_id,patient_id,product_kind,product_id,product_name,batch,onset_time,received_time,area_code,rare,death,"
                 "life_threatening,disability,organ_damage,hospitalisation,congenital_anomaly,other_serious\n";
    for (const auto& r : reports) {
        std::cout << r.report_id << ',' << r.patient_id << ',' << p->product_id(r.product_kind) << ',' << r.product_id << ','
                  << r.product_name << ',' << r.batch << ',' << format_utc(r.onset) << ',' << format_utc(r.received) << ','
                  << r.area.to_string();
        for (int f = 0; f < report_flag_count; ++f) std::cout << (r.has(static_cast<report_flag>(f)) ? ",1" : ",0");
        std::cout << '\n';
    }
}
