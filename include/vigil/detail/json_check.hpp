// vigil/detail/json_check.hpp — what every JSON reader of vigil refuses beyond well-formed JSON,
// the same way in each (plans, timelines, events, JSONL rows, report templates). Not API.
//  - a key twice in one object (JSON leaves it open; a reader would silently keep one value),
//  - a number out of range of a double (1e400 would read as infinity).
// A UTF-8 byte order mark at the start of a file is accepted and skipped (skip_bom), as in CSV.
// Invalid UTF-8 is refused by the JSON parser itself.
#pragma once

#include <vigil/messages.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {
inline namespace v0 {
namespace detail {

/// The first problem of well-formed JSON text: its byte offset and what it is; none when sound.
struct json_issue {
    std::size_t offset = 0;
    std::string message;  ///< English; `id` and `args` render it in either language (vigil/messages.hpp)
    std::string id;
    message_args args;
};
std::optional<json_issue> check_json(std::string_view text);

/// `text` without a leading UTF-8 byte order mark.
inline std::string_view skip_bom(std::string_view text) noexcept {
    return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

/// The first line of a JSON Lines text that is not blank (a byte order mark skipped), without its
/// line break; empty when there is none: the record a log or a list of events opens with.
inline std::string_view first_json_line(std::string_view text) noexcept {
    text = skip_bom(text);
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view l = text.substr(pos, end - pos);
        pos = end + 1;
        if (l.find_first_not_of(" \t\r") != std::string_view::npos) return l;
    }
    return {};
}

/// The arguments of a JSON parser's error for a message's {detail}: the parser's English text
/// ("syntax error", as Boost.JSON says it) and, for its common errors, the catalogue's Chinese
/// text as "detail@zh" (json.error_*), so that a Chinese message says it in Chinese.
message_args json_error_args(const boost::system::error_code& ec);

/// The first invalid UTF-8 sequence of `text` (its byte offset); none when valid.
std::optional<std::size_t> invalid_utf8(std::string_view text) noexcept;

}  // namespace detail
}  // namespace v0
}  // namespace vigil
