// vigil/lint.hpp — what a plan's tables say that its authors may not have meant.
//
// lint() reads a loaded plan and reports, each finding with its clauses and facts:
//   gap        values of a count that no grade covers between two that do (a neighbouring grade
//              suggests one was meant)
//   overlap    values of a count that criteria of two grades both claim (resolved: the highest wins)
//   unread     a fact declared and read by no criterion, warning or response rule, nor sum
//   unreachable a grade that no input reaches (its criteria are all expert determinations)
//   disagree   a warning rule and the grading table answer the same facts differently (a warning
//              colour whose grade is not the grade the table gives: red I, orange II, yellow III,
//              blue IV)
// The findings are data for people to judge; none is an error. Pure: no I/O.
#pragma once

#include <vigil/messages.hpp>
#include <vigil/plan.hpp>

#include <string>
#include <vector>

namespace vigil {
inline namespace v0 {

struct lint_finding {
    std::string kind;                  ///< gap, overlap, unread, unreachable, disagree
    std::vector<std::string> clauses;  ///< the clauses concerned
    std::vector<std::string> facts;    ///< the facts concerned
    std::string message;               ///< what, in words (English)
    std::string id;                    ///< its catalogue id (vigil/messages.hpp): "lint.gap" …
    message_args args;                 ///< and arguments: render_message(id, args, language::zh)
};

/// The findings, in the order of the kinds above, then of the plan.
std::vector<lint_finding> lint(const plan& p);

/// The findings as JSON: [{"kind", "clauses", "facts", "message"}].
std::string to_json(const std::vector<lint_finding>& findings);

}  // namespace v0
}  // namespace vigil
