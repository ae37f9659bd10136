// libFuzzer target: the timeline reader under a plan, and the reading of a kept log as its verified,
// replayed history (read_history), then the deadlines they make owed (bounded by the limits of
// docs/reliability.md).
#include <vigil/calendar.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const vigil::plan_ptr plans[] = {vigil::builtin_plan("yuzhong").value(), vigil::builtin_plan("guiyang").value()};
    static const vigil::calendar cal = vigil::builtin_calendar().value();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& p : plans) {
        for (auto t : {vigil::parse_timeline(text, *p, "<fuzz>"), vigil::read_history(*p, text, "<fuzz>")}) {
            if (!t) continue;
            auto d = vigil::compute_deadlines(*p, *t, cal);
            (void)d;
        }
    }
    return 0;
}
