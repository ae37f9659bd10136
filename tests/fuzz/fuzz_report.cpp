// libFuzzer target: the first-report template (guiyang A6) filled from fields given as
// NAME=VALUE lines, as `vigil report first` gives them.
#include <vigil/obligations.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const vigil::plan_ptr plan = vigil::builtin_plan("guiyang").value();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::map<std::string, std::string> fields;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        auto eq = line.find('=');
        if (eq != std::string_view::npos) fields[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
    }
    (void)vigil::render_report(*plan, "first_report", fields);
    (void)vigil::render_report(*plan, std::string_view(reinterpret_cast<const char*>(data), size > 32 ? 32 : size), fields);
    return 0;
}
