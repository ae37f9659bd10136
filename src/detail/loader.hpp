// Internal: the plan loader's toolkit, shared by the loaders of each plan section.
//
// A plan file is JSON; each top-level section ("grading", and the sections later issues add) is
// read by its own function, registered in src/plan_load.cpp's section table. A section loader
// reads its JSON value into the plan being built and records every problem it finds with
// loader::fail — it never throws and never stops at the first problem.
#pragma once

#include <vigil/plan.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace json = boost::json;

class loader {
public:
    explicit loader(std::string source) : source_(std::move(source)) {}

    /// Record a problem at a JSON pointer.
    void fail(const std::string& pointer, std::string message);
    /// Record a problem of catalogue message `id` (vigil/messages.hpp), so that it renders in
    /// either language.
    void fail(const std::string& pointer, std::string_view id, message_args args);
    bool ok() const noexcept { return diags_.empty(); }
    std::vector<diagnostic>& diagnostics() noexcept { return diags_; }
    const std::string& source() const noexcept { return source_; }

    /// `v` as an object whose keys are all in `allowed` and which has every key of `required`;
    /// nullptr (and a recorded problem) when it is not an object. Unknown keys are problems.
    const json::object* object(const json::value& v, const std::string& ptr,
                               std::initializer_list<std::string_view> allowed,
                               std::initializer_list<std::string_view> required = {});
    /// `v` as an array (nullptr and a problem otherwise).
    const json::array* array(const json::value& v, const std::string& ptr);

    /// Member accessors: nullopt when absent (a problem only if `required`) or of the wrong type
    /// (always a problem). Integers must lie in [min, max].
    std::optional<std::string> string(const json::object& o, std::string_view key, const std::string& ptr,
                                      bool required = true);
    std::optional<std::int64_t> integer(const json::object& o, std::string_view key, const std::string& ptr,
                                        bool required = true, std::int64_t min = 0,
                                        std::int64_t max = UINT32_MAX);
    std::optional<bool> boolean(const json::object& o, std::string_view key, const std::string& ptr,
                                bool required = true);
    const json::array* array(const json::object& o, std::string_view key, const std::string& ptr,
                             bool required = true);
    /// The member "reading" (a reading decision): a string (English, the form of every plan before
    /// bilingual readings) or an object {"en": …, "zh": …} with both. Absent: both empty.
    void reading(const json::object& o, const std::string& ptr, std::string& en, std::string& zh);
    /// A string member that must be one of `choices`.
    std::optional<std::string> one_of(const json::object& o, std::string_view key, const std::string& ptr,
                                      std::initializer_list<std::string_view> choices, bool required = true);

    /// JSON pointer of a member / element of `ptr` (RFC 6901 escaping).
    static std::string child(const std::string& ptr, std::string_view key);
    static std::string child(const std::string& ptr, std::size_t index);

    /// A short name of a JSON value's kind, for messages: "a string", "an array" ...
    static std::string_view kind(const json::value& v) noexcept;
    /// The same as a catalogue word ("kind.bool"; vigil/messages.hpp), for a {found:t} parameter.
    static std::string_view kind_id(const json::value& v) noexcept;

private:
    std::string source_;
    std::vector<diagnostic> diags_;
};

/// The member `key` of `o` as an array of strings (empty when absent; a problem for each element
/// that is not a string, and when absent if `required`).
std::vector<std::string> strings(const json::object& o, std::string_view key, const std::string& ptr, loader& ld,
                                 bool required = false);

/// 1-based line and column (in characters) of a byte offset of UTF-8 text.
std::pair<int, int> line_column(std::string_view text, std::size_t offset);

/// Section loaders (one per plan section; each lives in the source file of its concept).
void load_grading(const json::value& v, loader& ld, plan& p);   // src/plan_load.cpp
void load_facts(const json::value& v, loader& ld, plan& p);     // src/plan_load.cpp
void load_products(const json::value& v, loader& ld, plan& p);  // src/plan_load.cpp
void load_obligations(const json::value& v, loader& ld, plan& p);  // src/obligations_load.cpp
/// The obligations' warning_in colours are warning levels of the plan (after every section).
void check_warning_conditions(loader& ld, const plan& p);  // src/obligations_load.cpp
void load_organisation(const json::value& v, loader& ld, plan& p);  // src/organisation_load.cpp
void load_warnings(const json::value& v, loader& ld, plan& p);      // src/response_load.cpp
void load_responses(const json::value& v, loader& ld, plan& p);     // src/response_load.cpp
void load_lifecycle(const json::value& v, loader& ld, plan& p);     // src/lifecycle_load.cpp
void load_detection(const json::value& v, loader& ld, plan& p);     // src/detect_load.cpp

/// Compile the grading criteria into the flat program classify runs (src/classify.cpp).
std::shared_ptr<const program> compile_grading(const plan& p);

}  // namespace detail
}  // namespace v0
}  // namespace vigil
