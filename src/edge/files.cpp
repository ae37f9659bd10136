// The edge: the files vigil reads (a plan, a calendar, a timeline), each through the one bounded
// reader (vigil/detail/read_file.hpp), and the built-in calendar embedded at build time. The core
// parses the text; nothing here decides anything.
#include <vigil/calendar.hpp>
#include <vigil/detail/read_file.hpp>
#include <vigil/lifecycle.hpp>
#include <vigil/obligations.hpp>
#include <vigil/plan.hpp>

#include "detail/embedded.hpp"
#include "detail/limits.hpp"

namespace vigil {
inline namespace v0 {

result<plan_ptr> load_plan_file(const std::string& path) {
    auto text = detail::read_file(path, max_plan_bytes, "plan");
    if (!text) return text.error();
    return load_plan(*text, path);
}

result<calendar> builtin_calendar() {
    return calendar::parse(detail::embedded("calendar/cn.csv"), "<builtin:calendar/cn.csv>");
}

result<calendar> load_calendar_file(const std::string& path) {
    auto text = detail::read_file(path, detail::max_calendar_bytes, "calendar");
    if (!text) return text.error();
    return calendar::parse(*text, path);
}

result<timeline> load_timeline_file(const std::string& path) {
    auto text = detail::read_file(path, detail::max_timeline_bytes, "timeline");
    if (!text) return text.error();
    return parse_timeline(*text, path);
}

result<timeline> load_timeline_file(const std::string& path, const plan& p) {
    auto text = detail::read_file(path, detail::max_timeline_bytes, "timeline");
    if (!text) return text.error();
    return read_history(p, *text, path);
}

}  // namespace v0
}  // namespace vigil
