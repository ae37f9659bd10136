// Instants (UTC) and the plans' local time (Asia/Shanghai, UTC+8).
#include <vigil/time.hpp>

#include "detail/digits.hpp"

namespace vigil {
inline namespace v0 {

namespace pt = boost::posix_time;
namespace gr = boost::gregorian;

instant to_local(instant utc) { return utc + pt::minutes(local_utc_offset_minutes); }
instant from_local(instant local) { return local - pt::minutes(local_utc_offset_minutes); }
date local_date(instant utc) { return to_local(utc).date(); }
std::int64_t unix_seconds(instant t) { return (t - instant(date(1970, 1, 1))).total_seconds(); }

instant local_midnight(date d) { return from_local(instant(d)); }

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

result<date> make_date(int y, int m, int d, std::string_view text) {
    try {
        return date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
    } catch (const std::exception&) {
        return error{errc::invalid_input, "time.not_a_date", {{"text", std::string(text)}}};
    }
}

}  // namespace

result<date> parse_date(std::string_view text) {
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) || text[7] != '-' ||
        !digits(text, 8, 2, d))
        return error{errc::invalid_input, "time.expected_date", {{"found", std::string(text)}}};
    if (y < min_year || y > max_year)
        return error{errc::invalid_input, "time.year_out_of_range",
                     {{"text", std::string(text)}, {"min", std::to_string(min_year)}, {"max", std::to_string(max_year)}}};
    return make_date(y, m, d, text);
}

result<instant> parse_instant(std::string_view text, std::string_view default_zone) {
    // built only when the text is refused (rendering a message costs more than reading a good instant)
    const auto expected = [&] { return error{errc::invalid_input, "time.expected_instant", {{"found", std::string(text)}}}; };
    if (text.size() < 16) return expected();
    auto d = parse_date(text.substr(0, 10));
    if (!d) {
        if (d.error().diagnostics.front().id == "time.year_out_of_range") {
            auto args = d.error().diagnostics.front().args;
            args.front().value = std::string(text);
            return error{errc::invalid_input, "time.year_out_of_range", std::move(args)};
        }
        return expected();
    }
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return expected();
    int hh = 0, mm = 0, ss = 0;
    if (!digits(text, 11, 2, hh) || text[13] != ':' || !digits(text, 14, 2, mm))
        return expected();
    std::size_t i = 16;
    if (i < text.size() && text[i] == ':') {
        if (!digits(text, i + 1, 2, ss)) return expected();
        i += 3;
        if (i < text.size() && text[i] == '.') {  // fractions of a second are accepted and dropped
            ++i;
            std::size_t start = i;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
            if (i == start) return expected();
        }
    }
    if (hh > 23 || mm > 59 || ss > 59) return error{errc::invalid_input, "time.not_a_time", {{"text", std::string(text)}}};
    instant wall(*d, pt::hours(hh) + pt::minutes(mm) + pt::seconds(ss));
    std::string_view zone = text.substr(i);
    if (zone.empty()) {
        if (default_zone == "UTC") return wall;
        if (default_zone == local_time_zone) return from_local(wall);
        if (default_zone.empty())
            return error{errc::invalid_input, "time.no_offset", {{"text", std::string(text)}}};
        return error{errc::invalid_input, "time.unknown_zone", {{"zone", std::string(default_zone)}}};
    }
    if (zone == "Z" || zone == "z") return wall;
    int oh = 0, om = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2, oh) || zone[3] != ':' ||
        !digits(zone, 4, 2, om))
        return error{errc::invalid_input, "time.bad_offset", {{"zone", std::string(zone)}, {"text", std::string(text)}}};
    if (oh > 14 || om > 59 || (oh == 14 && om > 0))
        return error{errc::invalid_input, "time.offset_range", {{"zone", std::string(zone)}, {"text", std::string(text)}}};
    pt::time_duration off = pt::hours(oh) + pt::minutes(om);
    return zone[0] == '+' ? wall - off : wall + off;
}

std::string format_date(date d) {
    return detail::digits(d.year(), 4) + "-" + detail::digits(d.month(), 2) + "-" + detail::digits(d.day(), 2);
}

namespace {
std::string format_wall(instant t) {
    auto tod = t.time_of_day();
    return format_date(t.date()) + "T" + detail::digits(tod.hours(), 2) + ":" + detail::digits(tod.minutes(), 2) + ":" +
           detail::digits(tod.seconds(), 2);
}
}  // namespace

std::string format_utc(instant t) { return format_wall(t) + "Z"; }
std::string format_local(instant t) {
    return format_wall(to_local(t)) + "+" + detail::digits(local_utc_offset_minutes / 60, 2) + ":" +
           detail::digits(local_utc_offset_minutes % 60, 2);
}

std::string format_duration(duration d) {
    if (d.is_negative()) d = d.invert_sign();
    std::int64_t s = d.total_seconds();
    std::int64_t days = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
    std::string out;
    auto part = [&](std::int64_t v, const char* unit) {
        if (!out.empty()) out += ' ';
        out += std::to_string(v) + unit;
    };
    if (days) part(days, "d");
    if (h) part(h, "h");
    if (m) part(m, "min");
    if (sec || out.empty()) part(sec, "s");
    return out;
}

}  // namespace v0
}  // namespace vigil
