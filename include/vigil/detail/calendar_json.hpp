// vigil/detail/calendar_json.hpp — which calendar answered, as JSON ({"source", "years",
// "provisional"}): the one shape the C ABI's deadlines and audit answers and the command's JSON
// Lines rows give. Internal (the library's own faces); needs Boost.JSON.
#pragma once

#include <vigil/calendar.hpp>

#include <boost/json.hpp>

namespace vigil::detail {

inline boost::json::object calendar_json(const calendar& c) {
    boost::json::array years;
    for (int y : c.years()) years.emplace_back(y);
    return boost::json::object{{"source", c.source()}, {"years", std::move(years)}, {"provisional", c.is_provisional()}};
}

}  // namespace vigil::detail
