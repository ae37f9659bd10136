// The organisation's actors and authorities as text.
#include <vigil/organisation.hpp>
#include <vigil/notation.hpp>

namespace vigil {
inline namespace v0 {

std::string to_string(const actor& a) { return a.role.empty() ? a.unit : a.unit + "/" + a.role; }
std::string to_string(const actor_pattern& p) { return p.role.empty() ? p.unit : p.unit + "/" + p.role; }
std::string to_string(const std::vector<actor_pattern>& any) { return actors_text(any, language::en); }

}  // namespace v0
}  // namespace vigil
