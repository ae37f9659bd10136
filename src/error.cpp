#include <vigil/error.hpp>

#include <boost/throw_exception.hpp>

#include <ostream>

namespace vigil {
inline namespace v0 {

namespace {
class category final : public std::error_category {
public:
    const char* name() const noexcept override { return "vigil"; }
    std::string message(int c) const override {
        switch (static_cast<errc>(c)) {
        case errc::ok: return "ok";
        case errc::parse_error: return "malformed text";
        case errc::invalid_plan: return "invalid plan";
        case errc::invalid_input: return "invalid input";
        case errc::unknown_name: return "unknown name";
        case errc::io_error: return "input/output error";
        case errc::out_of_range: return "out of range";
        case errc::refused: return "refused";
        case errc::tampered: return "tampered";
        case errc::too_large: return "too large";
        }
        return "unknown vigil error";
    }
};
}  // namespace

const std::error_category& error_category() noexcept {
    static const category c;
    return c;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

std::string diagnostic::to_string() const {
    std::string s;
    if (!source.empty()) {
        s += source;
        if (line > 0) {
            s += ':' + std::to_string(line);
            if (column > 0) s += ':' + std::to_string(column);
        }
        s += ": ";
    }
    if (!pointer.empty()) s += pointer + ": ";
    s += message;
    return s;
}

diagnostic diagnostic::of(std::string source, int line, int column, std::string pointer, std::string_view id,
                          message_args args) {
    diagnostic d;
    d.source = std::move(source);
    d.line = line;
    d.column = column;
    d.pointer = std::move(pointer);
    d.id = std::string(id);
    d.message = render_message(id, args, language::en);
    d.args = std::move(args);
    return d;
}

std::string diagnostic::text(language lang) const {
    return id.empty() || lang == language::en ? message : render_message(id, args, lang);
}

std::string diagnostic::to_string(language lang) const {
    if (lang == language::en || id.empty()) return to_string();
    diagnostic d = *this;
    d.message = text(lang);
    return d.to_string();
}

error::error(errc c, std::string_view id, message_args args) : code(c) {
    diagnostics.push_back(diagnostic::of("", 0, 0, "", id, std::move(args)));
}

std::string error::message(language lang) const {
    std::string s;
    for (const auto& d : diagnostics) {
        if (!s.empty()) s += '\n';
        s += d.to_string(lang);
    }
    if (s.empty()) s = make_error_code(code).message();
    return s;
}

error::error(errc c, std::string msg) : code(c) {
    diagnostic d;
    d.message = std::move(msg);
    diagnostics.push_back(std::move(d));
}

std::string error::message() const {
    std::string s;
    for (const auto& d : diagnostics) {
        if (!s.empty()) s += '\n';
        s += d.to_string();
    }
    if (s.empty()) s = make_error_code(code).message();
    return s;
}

std::ostream& operator<<(std::ostream& os, const error& e) { return os << e.message(); }

exception::exception(vigil::error e) : std::runtime_error(e.message()), err_(std::move(e)) {}

void throw_exception_from_error(const error& e, const boost::source_location& loc) {
    boost::throw_with_location(exception(e), loc);
}

}  // namespace v0
}  // namespace vigil
