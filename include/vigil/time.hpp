// vigil/time.hpp — instants and local time.
//
// vigil's API speaks instants: UTC, as boost::posix_time::ptime. The plans' local time is always
// Asia/Shanghai (UTC+8, no daylight saving since 1991), which is how instants are shown to people.
// Text forms are ISO 8601 with an explicit offset: "2026-10-01T09:30:00+08:00" or "...Z".
#pragma once

#include <vigil/error.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {
inline namespace v0 {

/// The years of the instants and dates vigil accepts (docs/reliability.md): a time outside them
/// is refused, so no computation runs for millennia.
inline constexpr int min_year = 1970;
inline constexpr int max_year = 2199;

using date = boost::gregorian::date;
using instant = boost::posix_time::ptime;         ///< always UTC
using duration = boost::posix_time::time_duration;

/// The local time of the plans: Asia/Shanghai, UTC+8 all year.
inline constexpr int local_utc_offset_minutes = 8 * 60;
inline constexpr std::string_view local_time_zone = "Asia/Shanghai";

/// UTC instant -> local wall-clock time (Asia/Shanghai), and back.
instant to_local(instant utc);
instant from_local(instant local);
/// Seconds since the Unix epoch (1970-01-01T00:00:00Z): the C ABI's time.
std::int64_t unix_seconds(instant t);
/// The local calendar date of a UTC instant.
date local_date(instant utc);
/// The UTC instant of local midnight starting `d`.
instant local_midnight(date d);

/// Parse "YYYY-MM-DDTHH:MM[:SS]" followed by "Z" or "+HH:MM"/"-HH:MM" (a space may replace the T).
/// Without an offset the time is read in `default_zone`: "" (refuse: an offset is required),
/// "UTC" or "Asia/Shanghai". Any other zone name, or an offset beyond ±14:00, is refused.
result<instant> parse_instant(std::string_view text, std::string_view default_zone = "");
/// Parse an ISO date "YYYY-MM-DD" (errc::invalid_input otherwise).
result<date> parse_date(std::string_view text);

std::string format_utc(instant t);    ///< "2026-10-01T01:30:00Z"
std::string format_local(instant t);  ///< "2026-10-01T09:30:00+08:00"
std::string format_date(date d);      ///< "2026-10-01"
/// "2h 05min", "3d 4h", "45s": a human reading of a (non-negative) duration.
std::string format_duration(duration d);

}  // namespace v0
}  // namespace vigil
