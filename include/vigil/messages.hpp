// vigil/messages.hpp — the message catalogue: every message of vigil that has an id, in English
// and in Chinese, with named parameters.
//
// A diagnostic that carries an id (diagnostic::id) and its arguments (diagnostic::args) can be
// rendered in either language; its `message` is the English rendering, made when it was raised.
// A text names its parameters in braces, "{file}"; "{kind:t}" takes the argument as the id of
// another catalogue entry (a word such as "kind.bool") and renders that in the same language (an
// argument that is no entry's id is put in as it is).
// "{by:or}" takes the argument as a list (items separated by list_separator; list_argument())
// and joins its items as alternatives in the language rendered: "a or b" / "a或b". An argument
// whose value depends on the language (a condition written in words) carries its Chinese form
// beside it as "name@zh", which a Chinese rendering uses instead of "name".
// The English and the Chinese text of an entry name the same parameters (a test checks it).
// Officials read Chinese, integrators read English: the command renders in the language of its
// run (--lang); the C ABI's messages are English.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

enum class language : std::uint8_t { en, zh };

/// One named argument of a message.
struct message_arg {
    std::string name;
    std::string value;
};
using message_args = std::vector<message_arg>;

/// One entry of the catalogue.
struct message_entry {
    std::string_view id;  ///< "csv.unknown_column": the part before the dot says where it comes from
    std::string_view en;
    std::string_view zh;
};

/// Every entry, in catalogue order (ids unique).
const std::vector<message_entry>& message_catalogue();
/// The entry of `id`; nullptr when there is none.
const message_entry* find_message(std::string_view id) noexcept;
/// The text of `id` in `lang` with its parameters filled in. An unknown id renders as the id and
/// its arguments ("id(name=value, …)"), a missing argument as "{name}": a bug shows, never crashes.
std::string render_message(std::string_view id, const message_args& args, language lang = language::en);
/// A text a plan gives in English and, optionally, in Chinese (a reading decision): the Chinese
/// one in Chinese when there is one, else the English one.
inline const std::string& pick_language(const std::string& en, const std::string& zh, language lang) noexcept {
    return lang == language::zh && !zh.empty() ? zh : en;
}
/// The separator of the items of a list argument ({x:or}).
inline constexpr char list_separator = '\x1f';
/// A list argument's value: the items separated by list_separator.
std::string list_argument(const std::vector<std::string>& items);
/// The parameter names a catalogue text uses, in order of first use (":t", ":or" left out).
std::vector<std::string> message_parameters(std::string_view text);

}  // namespace v0
}  // namespace vigil
