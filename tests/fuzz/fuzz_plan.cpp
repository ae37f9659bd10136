// libFuzzer target: the plan loader (JSON text -> validated, compiled plan), then a
// classification under it when it loads.
#include <vigil/classify.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto p = vigil::load_plan(std::string_view(reinterpret_cast<const char*>(data), size), "<fuzz>");
    if (p) {
        vigil::cluster_facts f;
        f.deaths = 3;
        f.similar_cases_nearby = true;
        (void)vigil::classify(**p, f);
    }
    return 0;
}
