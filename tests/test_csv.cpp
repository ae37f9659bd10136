// The one CSV reader (vigil/detail/csv.hpp): every rule on both sides, the same answers from text
// in memory and from a stream, the bulk path's record_end agreeing with the reader, the one
// reading of a yes/no cell, and the writer's quoting read back.
#include <vigil/detail/csv.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace vigil::detail;

namespace {

// Records as text: each field in [], records separated by '/', a line break shown as \n; or the
// error as "LINE:COLUMN: message".
std::string render_fields(const std::vector<csv::field>& rec) {
    std::string s;
    for (const auto& f : rec) {
        s += '[';
        for (char c : f.text) s += c == '\n' ? std::string("\\n") : std::string(1, c);
        s += ']';
    }
    return s;
}

std::string render(csv::reader& r) {
    std::string s;
    std::vector<csv::field> rec;
    for (;;) {
        const auto g = r.next(rec);
        if (g == csv::reader::got::end) return s;
        if (g == csv::reader::got::error)
            return std::to_string(r.error().line) + ":" + std::to_string(r.error().column) + ": " + r.error().message;
        if (!s.empty()) s += '/';
        s += render_fields(rec);
    }
}

std::string read_text(const std::string& in, csv::options o = {}) {
    csv::reader r(in, o);
    return render(r);
}

std::string read_stream(const std::string& in, csv::options o = {}) {
    std::istringstream is(in);
    csv::reader r(is, o);
    return render(r);
}

}  // namespace

TEST_CASE("csv reader: RFC 4180 and the house rules, both sides of each", "[csv]") {
    struct row {
        const char* rule;
        std::string in;
        std::string expect;  // records, or "LINE:COLUMN: words of the error"
        bool comments = false;
    };
    const std::vector<row> rows = {
        {"plain fields", "a,b\nc,d\n", "[a][b]/[c][d]"},
        {"no line break after the last record", "a,b\nc,d", "[a][b]/[c][d]"},
        {"empty fields are fields", ",\na,,\n", "[][]/[a][][]"},
        {"CRLF line ends", "a,b\r\nc,d\r\n", "[a][b]/[c][d]"},
        {"a CR inside a line is text", "a\rb,c\n", "[a\rb][c]"},
        {"a byte order mark before the first line is skipped", "\xEF\xBB\xBFid,x\n1,2\n", "[id][x]/[1][2]"},
        {"a byte order mark later is text", "id\n\xEF\xBB\xBFx\n", "[id]/[\xEF\xBB\xBFx]"},
        {"a quoted field holds commas", "\"a,b\",c\n", "[a,b][c]"},
        {"a doubled quote is a quote", "\"say \"\"hi\"\"\",x\n", "[say \"hi\"][x]"},
        {"an empty quoted field", "\"\",x\n", "[][x]"},
        {"a quoted field holds a line break", "\"x\ny\",z\nw\n", "[x\\ny][z]/[w]"},
        {"a quoted CRLF is read as \\n", "\"x\r\ny\"\r\nw\r\n", "[x\\ny]/[w]"},
        {"a quoted field holds blank lines", "\"x\n\n\ny\"\n", "[x\\n\\n\\ny]"},
        {"spaces and tabs around a field are not part of it", " a ,\tb\t, c\n", "[a][b][c]"},
        {"spaces inside a field are", "a b,c\n", "[a b][c]"},
        {"spaces inside quotes are kept, outside dropped", "  \" a \"  ,b\n", "[ a ][b]"},
        {"blank lines are skipped", "a\n\n\r\nb\n", "[a]/[b]"},
        {"a line of spaces alone is blank", "a\n  \t \nb\n", "[a]/[b]"},
        {"a '#' line is a record without comments", "#x\na\n", "[#x]/[a]"},
        {"a '#' line is skipped with comments", "#x,y\na\n", "[a]", true},
        {"a '#' inside a field is text, with comments", "a,#x\n", "[a][#x]", true},
        {"a quote inside an unquoted field is an error", "ok\na\"b,c\n", "2:2: a quote inside an unquoted field"},
        {"text after a closing quote is an error", "\"a\"b,c\n", "1:4: text after a closing quote"},
        {"spaces after a closing quote are not", "\"a\"  ,c\n", "[a][c]"},
        {"an unterminated quote is an error where it opened", "x\ny,\"abc\nd\n", "2:3: unterminated quoted field"},
        {"invalid UTF-8 is an error naming its line", "a\nb\xFF\n", "2:2: invalid UTF-8"},
        {"UTF-8 is text", "\xE6\x98\xAF,\xE5\x90\xA6\n", "[\xE6\x98\xAF][\xE5\x90\xA6]"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.rule, r.in);
        csv::options o;
        o.comments = r.comments;
        const std::string t = read_text(r.in, o), s = read_stream(r.in, o);
        if (r.expect.find(": ") != std::string::npos && r.expect[0] >= '0' && r.expect[0] <= '9') {
            CHECK(t.rfind(r.expect, 0) == 0);
        } else {
            CHECK(t == r.expect);
        }
        CHECK(s == t);  // text in memory and a stream: one reader
    }
}

TEST_CASE("csv reader: a record's size bound, both sides", "[csv]") {
    struct row {
        std::string in;
        std::string expect;
    };
    csv::options o;
    o.max_record = 8;
    // the bound is on the whole record: its lines and the line breaks inside its quotes
    const std::vector<row> rows = {
        {"12345678\n", "[12345678]"},
        {"123456789\n", "1:0: line longer than 8 bytes"},
        {"\"12\n456\"\n", "[12\\n456]"},  // 3 + 1 + 4 = 8: at the bound
        {"\"12\n4567\"\n", "2:0: record longer than 8 bytes (a quoted field from line 1 goes on)"},  // 9
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        const std::string t = read_text(r.in, o);
        CHECK(t == r.expect);
        CHECK(read_stream(r.in, o) == t);
    }
}

TEST_CASE("csv reader: each field says the line and column where it begins", "[csv]") {
    csv::reader r(std::string_view("h1,h2,h3\n\na,\"b\nc\",d\n  x ,y,z\n"));
    std::vector<csv::field> rec;
    REQUIRE(r.next(rec) == csv::reader::got::record);
    CHECK(r.record_line() == 1);
    REQUIRE(r.next(rec) == csv::reader::got::record);
    CHECK(r.record_line() == 3);
    REQUIRE(rec.size() == 3);
    CHECK(rec[0].line == 3);
    CHECK(rec[0].column == 1);
    CHECK(rec[1].line == 3);
    CHECK(rec[1].column == 3);
    CHECK(rec[1].quoted);
    CHECK_FALSE(rec[0].quoted);
    CHECK(rec[2].line == 4);  // after the quoted line break
    CHECK(rec[2].column == 4);
    REQUIRE(r.next(rec) == csv::reader::got::record);
    CHECK(r.record_line() == 5);
    CHECK(rec[0].text == "x");
    CHECK(rec[0].column == 1);
    CHECK(rec[1].column == 6);
    CHECK(r.next(rec) == csv::reader::got::end);
    CHECK(r.lines() == 5);
}

TEST_CASE("csv record_end: where the bulk path's record ends, as the reader reads it", "[csv]") {
    struct row {
        std::string in;
        long end;  // offset of the '\n' that ends the first record, -1: not within the text
    };
    const std::vector<row> rows = {
        {"a,b\nc", 3},
        {"a,b", -1},                      // no line end yet
        {"\"a\nb\",c\nd", 7},              // the quoted line break is not the end
        {"x, \"a\nb\"\nd", 8},            // a quote after spaces opens a quoted field
        {"\"a\"\"\nb\"\n", 7},            // a doubled quote does not close it
        {"\"a\"\"\n", -1},                // still inside the quotes
        {"\"abc\"", -1},                  // a quote at the end: a doubled one may follow
        {"a\"b\nc\"\n", 3},               // a quote inside an unquoted field opens nothing
        {"\"a\"b\nc\"\n", 4},             // nor does one after a closing quote
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        const char* b = r.in.data();
        const char* e = b + r.in.size();
        const char* got = csv::record_end(b, e);
        CHECK((got ? got - b : -1) == r.end);
        if (got && r.in.find('"') != std::string::npos) {
            // the reader ends its first record on the same line
            csv::reader rd(std::string_view(b, static_cast<std::size_t>(got - b + 1)));
            std::vector<csv::field> rec;
            const auto g = rd.next(rec);
            if (g == csv::reader::got::record) CHECK(rd.lines() == static_cast<std::size_t>(std::count(b, got + 1, '\n')));
        }
    }
}

TEST_CASE("csv boolean: the one reading of a yes/no cell", "[csv]") {
    struct row {
        const char* in;
        int expect;  // 1 true, 0 false, -1 not a boolean
    };
    const row rows[] = {
        {"true", 1}, {"TRUE", 1}, {"True", 1}, {"tRuE", 1}, {"1", 1}, {"\xE6\x98\xAF", 1},  // 是
        {"false", 0}, {"FALSE", 0}, {"False", 0}, {"0", 0}, {"\xE5\x90\xA6", 0},            // 否
        {"", -1}, {"yes", -1}, {"no", -1}, {"2", -1}, {"01", -1}, {"10", -1}, {"truee", -1}, {"tru", -1},
        {"fals", -1}, {" true", -1}, {"t", -1}, {"\xE5\xAF\xB9", -1} /* 对 */, {"trUe ", -1}, {"fal5e", -1},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        const auto b = csv::boolean(r.in);
        CHECK((b ? (*b ? 1 : 0) : -1) == r.expect);
    }
}

TEST_CASE("csv quote: what the writer quotes, read back as written", "[csv]") {
    struct row {
        const char* in;
        const char* expect;
    };
    const row rows[] = {
        {"a", "a"}, {"", ""}, {"a b", "a b"}, {"a,b", "\"a,b\""}, {"a\"b", "\"a\"\"b\""}, {"a\nb", "\"a\nb\""},
        {"a\rb", "\"a\rb\""}, {" a", "\" a\""}, {"a\t", "\"a\t\""}, {"渝中区", "渝中区"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        const std::string q = csv::quote(r.in);
        CHECK(q == r.expect);
        if (*r.in == '\0') continue;  // an empty line is blank: no record to read back
        const std::string line = q + ",x\n";
        csv::reader rd(line);
        std::vector<csv::field> rec;
        REQUIRE(rd.next(rec) == csv::reader::got::record);
        REQUIRE(rec.size() == 2);
        CHECK(rec[0].text == r.in);
    }
}
