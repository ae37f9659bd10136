// libFuzzer target: the working-day calendar reader, then working-day arithmetic over it.
#include <vigil/calendar.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto c = vigil::calendar::parse(std::string_view(reinterpret_cast<const char*>(data), size), "<fuzz>");
    if (c) {
        const vigil::date d(2026, 9, 30);
        for (int n : {-400, -7, -1, 0, 1, 7, 400, 1 << 30, -(1 << 30)}) (void)c->add_working_days(d, n);
    }
    return 0;
}
