// libFuzzer target: an event log's text (chain verification) replayed under both plans, and an
// event as `vigil incident apply` reads it.
#include <vigil/event_log.hpp>
#include <vigil/lifecycle.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const vigil::plan_ptr plans[] = {vigil::builtin_plan("yuzhong").value(), vigil::builtin_plan("guiyang").value()};
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto c = vigil::parse_log(text, "<fuzz>"))
        for (const auto& p : plans) (void)vigil::replay(*p, c->records);
    if (auto e = vigil::parse_event(text, "<fuzz>")) (void)vigil::format_record(1, *e, vigil::zero_hash);
    return 0;
}
