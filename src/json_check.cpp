// What every JSON reader refuses beyond well-formed JSON (vigil/detail/json_check.hpp).
#include <vigil/detail/json_check.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <cmath>
#include <set>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace {

namespace json = boost::json;
using ec_t = boost::system::error_code;

struct checker {
    constexpr static std::size_t max_object_size = std::size_t(-1);
    constexpr static std::size_t max_array_size = std::size_t(-1);
    constexpr static std::size_t max_key_size = std::size_t(-1);
    constexpr static std::size_t max_string_size = std::size_t(-1);

    std::vector<std::set<std::string>> objects;  // the keys of each open object
    std::string key;
    std::string problem;
    message_args args;

    bool fail(ec_t& ec, std::string id, message_args a = {}) {
        problem = std::move(id);
        args = std::move(a);
        ec = json::error::syntax;  // stops the parser; the message is ours
        return false;
    }
    bool on_document_begin(ec_t&) { return true; }
    bool on_document_end(ec_t&) { return true; }
    bool on_object_begin(ec_t&) {
        objects.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, ec_t&) {
        objects.pop_back();
        return true;
    }
    bool on_array_begin(ec_t&) { return true; }
    bool on_array_end(std::size_t, ec_t&) { return true; }
    bool on_key_part(json::string_view s, std::size_t, ec_t&) {
        key.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, ec_t& ec) {
        key.append(s.data(), s.size());
        const bool fresh = objects.back().insert(key).second;
        std::string k = std::move(key);
        key.clear();
        if (!fresh) return fail(ec, "json.duplicate_key", {{"key", k}});
        return true;
    }
    bool on_string_part(json::string_view, std::size_t, ec_t&) { return true; }
    bool on_string(json::string_view, std::size_t, ec_t&) { return true; }
    bool on_number_part(json::string_view, ec_t&) { return true; }
    bool on_int64(std::int64_t, json::string_view, ec_t&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, ec_t&) { return true; }
    bool on_double(double d, json::string_view, ec_t& ec) {
        if (!std::isfinite(d)) return fail(ec, "json.number_range");
        return true;
    }
    bool on_bool(bool, ec_t&) { return true; }
    bool on_null(ec_t&) { return true; }
    bool on_comment_part(json::string_view, ec_t&) { return true; }
    bool on_comment(json::string_view, ec_t&) { return true; }
};

}  // namespace

std::optional<json_issue> check_json(std::string_view text) {
    json::parse_options opts;
    opts.max_depth = 64;
    json::basic_parser<checker> p(opts);
    ec_t ec;
    std::size_t used = p.write_some(false, text.data(), text.size(), ec);
    if (ec && !p.handler().problem.empty()) {
        const auto& h = p.handler();
        return json_issue{used, render_message(h.problem, h.args), h.problem, h.args};
    }
    return std::nullopt;  // sound, or malformed JSON: the reader's own parser says where
}

std::optional<std::size_t> invalid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0, min = 0;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07, min = 0x10000;
        else return i;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return i;
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += n + 1;
    }
    return std::nullopt;
}

message_args json_error_args(const boost::system::error_code& ec) {
    message_args args{{"detail", ec.message()}};
    static constexpr std::pair<json::error, std::string_view> ids[] = {
        {json::error::syntax, "json.error_syntax"},
        {json::error::extra_data, "json.error_extra_data"},
        {json::error::incomplete, "json.error_incomplete"},
        {json::error::exponent_overflow, "json.error_exponent_overflow"},
        {json::error::too_deep, "json.error_too_deep"},
        {json::error::illegal_leading_surrogate, "json.error_illegal_leading_surrogate"},
        {json::error::illegal_trailing_surrogate, "json.error_illegal_trailing_surrogate"},
        {json::error::expected_hex_digit, "json.error_expected_hex_digit"},
        {json::error::expected_utf16_escape, "json.error_expected_utf16_escape"},
        {json::error::object_too_large, "json.error_object_too_large"},
        {json::error::array_too_large, "json.error_array_too_large"},
        {json::error::key_too_large, "json.error_key_too_large"},
        {json::error::string_too_large, "json.error_string_too_large"},
        {json::error::input_error, "json.error_input_error"},
    };
    for (const auto& [e, id] : ids)
        if (ec == e) {
            args.push_back({"detail@zh", render_message(id, {}, language::zh)});
            break;
        }
    return args;
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
