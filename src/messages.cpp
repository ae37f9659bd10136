// The message catalogue (vigil/messages.hpp): one entry a message, English and Chinese side by side.
// The entries come from messages.inc; this file renders them.
#include <vigil/messages.hpp>

#include <algorithm>
#include <unordered_map>

namespace vigil {
inline namespace v0 {

namespace {

const std::vector<message_entry> catalogue = {
#include "messages.inc"
};

const std::unordered_map<std::string_view, const message_entry*>& index() {
    static const auto m = [] {
        std::unordered_map<std::string_view, const message_entry*> x;
        for (const auto& e : catalogue) x.emplace(e.id, &e);
        return x;
    }();
    return m;
}

const std::string* arg(const message_args& args, std::string_view name) {
    for (const auto& a : args)
        if (a.name == name) return &a.value;
    return nullptr;
}

// A list argument ({x:or}): its items, separated by list_separator, joined as alternatives.
std::string join_alternatives(std::string_view items, language lang) {
    std::string out;
    std::size_t i = 0;
    for (bool first = true;; first = false) {
        const auto end = items.find(list_separator, i);
        if (!first) out += lang == language::zh ? "或" : " or ";
        out.append(items.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
        if (end == std::string_view::npos) break;
        i = end + 1;
    }
    return out;
}

}  // namespace

std::string list_argument(const std::vector<std::string>& items) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) (s += i ? std::string(1, list_separator) : std::string()) += items[i];
    return s;
}

const std::vector<message_entry>& message_catalogue() { return catalogue; }

const message_entry* find_message(std::string_view id) noexcept {
    const auto& m = index();
    auto it = m.find(id);
    return it == m.end() ? nullptr : it->second;
}

std::string render_message(std::string_view id, const message_args& args, language lang) {
    const message_entry* e = find_message(id);
    if (!e) {
        std::string s(id);
        s += '(';
        for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i].name + '=' + args[i].value;
        return s + ')';
    }
    const std::string_view text = lang == language::zh ? e->zh : e->en;
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size();) {
        const auto close = text[i] == '{' ? text.find('}', i) : std::string_view::npos;
        if (close == std::string_view::npos) {
            out += text[i++];
            continue;
        }
        std::string_view name = text.substr(i + 1, close - i - 1);
        const bool word = name.size() > 2 && name.substr(name.size() - 2) == ":t";
        const bool alternatives = name.size() > 3 && name.substr(name.size() - 3) == ":or";
        if (word) name.remove_suffix(2);
        if (alternatives) name.remove_suffix(3);
        // the argument's Chinese form, when it has one ("name@zh"), in Chinese
        const std::string* v = lang == language::zh ? arg(args, std::string(name) + "@zh") : nullptr;
        if (!v) v = arg(args, name);
        // a word is another entry (it may use the same arguments); a value that is no entry's id is text
        if (!v) out.append(text.substr(i, close - i + 1));
        else if (word && find_message(*v)) out += render_message(*v, args, lang);
        else if (alternatives) out += join_alternatives(*v, lang);
        else out += *v;
        i = close + 1;
    }
    return out;
}

std::vector<std::string> message_parameters(std::string_view text) {
    std::vector<std::string> names;
    for (std::size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
        const auto close = text.find('}', i);
        if (close == std::string_view::npos) break;
        std::string name(text.substr(i + 1, close - i - 1));
        if (name.size() > 2 && name.compare(name.size() - 2, 2, ":t") == 0) name.resize(name.size() - 2);
        if (name.size() > 3 && name.compare(name.size() - 3, 3, ":or") == 0) name.resize(name.size() - 3);
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
    }
    return names;
}

}  // namespace v0
}  // namespace vigil
