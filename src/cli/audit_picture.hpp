// Internal: the audit as a picture (vigil audit --out svg|html).
#pragma once

#include <vigil/obligations.hpp>

#include <string>
#include <vector>

namespace vigil::cli {

/// The incident's duties as an SVG timeline: a bar per duty from its anchor to its due time, a mark
/// per report, the status in colour (late and missing red, superseded grey), grade changes as
/// vertical lines, the time asked about, the calendar that gave the due times (`calendar`: its source
/// and years); labels in Chinese and English, CJK fonts first.
std::string audit_svg(const plan& p, const timeline& t, const std::vector<audit_entry>& entries, instant as_of,
                      const std::string& calendar);
/// One self-contained HTML file: the SVG and the table of findings.
std::string audit_html(const plan& p, const timeline& t, const std::vector<audit_entry>& entries, instant as_of,
                       const std::string& calendar);

}  // namespace vigil::cli
