// The message catalogue (vigil/messages.hpp): every entry in both languages with the same
// parameters, every id the sources name is in it, and diagnostics render in either language.
#include <vigil/calendar.hpp>
#include <vigil/charts.hpp>
#include <vigil/lint.hpp>
#include <vigil/messages.hpp>
#include <vigil/plan.hpp>
#include <vigil/time.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace vigil;

namespace {

std::set<std::string> sorted(std::vector<std::string> v) { return {v.begin(), v.end()}; }

bool has_cjk(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xE3; });
}

// A rendered text with a parameter left unfilled ("{file}", "{why:t}").
bool unfilled(const std::string& s) { return std::regex_search(s, std::regex(R"(\{[a-z_]+(:t)?\})")); }

// A diagnostic an official reads: it has a catalogue id, its English is the catalogue's English,
// and its Chinese is Chinese with every parameter filled in.
void check_both_languages(const diagnostic& d) {
    CAPTURE(d.to_string(), d.id);
    REQUIRE_FALSE(d.id.empty());
    REQUIRE(find_message(d.id) != nullptr);
    CHECK(render_message(d.id, d.args, language::en) == d.message);
    const std::string zh = d.text(language::zh);
    CAPTURE(zh);
    CHECK(has_cjk(zh));
    CHECK_FALSE(unfilled(zh));
    CHECK_FALSE(unfilled(d.message));
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("catalogue: every id has an English and a Chinese text naming the same parameters", "[messages]") {
    const auto& all = message_catalogue();
    REQUIRE(all.size() > 100);
    std::set<std::string_view> ids;
    for (const auto& e : all) {
        CAPTURE(e.id);
        CHECK(ids.insert(e.id).second);  // unique
        CHECK(e.id.find('.') != std::string_view::npos);
        CHECK_FALSE(e.en.empty());
        CHECK_FALSE(e.zh.empty());
        // a text of words is translated (an entry that only passes a parameter on, "{here}", is not)
        if (std::regex_search(std::regex_replace(std::string(e.en), std::regex(R"(\{[^}]*\})"), ""), std::regex("[A-Za-z]"))) {
            CHECK(e.en != e.zh);
            CHECK(has_cjk(e.zh));
        }
        CHECK(sorted(message_parameters(e.en)) == sorted(message_parameters(e.zh)));
        // a word parameter ({x:t}) is one in both texts
        const std::regex word(R"(\{([a-z_]+):t\})");
        std::set<std::string> en_words, zh_words;
        const std::string en(e.en), zh(e.zh);
        for (std::sregex_iterator i(en.begin(), en.end(), word), end; i != end; ++i) en_words.insert((*i)[1]);
        for (std::sregex_iterator i(zh.begin(), zh.end(), word), end; i != end; ++i) zh_words.insert((*i)[1]);
        CHECK(en_words == zh_words);
        CHECK(find_message(e.id) == &e);
    }
}

TEST_CASE("catalogue: every message id named in the sources is in the catalogue", "[messages]") {
    // Ids are string literals "area.name" whose area is one of the catalogue's.
    std::set<std::string> areas;
    for (const auto& e : message_catalogue()) areas.insert(std::string(e.id.substr(0, e.id.find('.'))));
    const std::regex literal(R"re("([a-z]+)\.([A-Za-z0-9_]+)")re");
    std::size_t seen = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(std::filesystem::path(VIGIL_SOURCE_DIR) / "src")) {
        if (f.path().extension() != ".cpp") continue;
        std::ifstream in(f.path());
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        for (std::sregex_iterator i(text.begin(), text.end(), literal), end; i != end; ++i) {
            if (!areas.count((*i)[1])) continue;
            const std::string id = (*i)[1].str() + "." + (*i)[2].str();
            static const std::set<std::string> file_kinds{"hpp", "h", "cpp", "inc", "json", "jsonl", "csv", "md", "txt", "svg", "dot", "pc"};
            if (file_kinds.count((*i)[2])) continue;  // a file name, not an id
            CAPTURE(f.path().filename().string(), id);
            CHECK(find_message(id) != nullptr);
            ++seen;
        }
    }
    CHECK(seen > 100);
}

TEST_CASE("render_message: parameters, words, a missing argument and an unknown id", "[messages]") {
    CHECK(render_message("time.not_a_date", {{"text", "2026-02-30"}}) == "\"2026-02-30\" is not a calendar date");
    CHECK(render_message("time.not_a_date", {{"text", "2026-02-30"}}, language::zh) == "“2026-02-30”不是有效的日历日期");
    CHECK(render_message("file.refused_kind", {{"kind", "file.is_directory"}, {"what", "file.timeline"}}) ==
          "is a directory; expected a timeline file");
    CHECK(render_message("file.refused_kind", {{"kind", "file.is_directory"}, {"what", "file.timeline"}}, language::zh) ==
          "是目录；应为时间线文件");
    CHECK(render_message("time.not_a_date", {}) == "\"{text}\" is not a calendar date");
    CHECK(render_message("no.such_id", {{"a", "1"}}) == "no.such_id(a=1)");
}

TEST_CASE("an empty list in a message is (none) in English and （无） in Chinese, a list is as it is", "[messages]") {
    struct row {
        const char* id;
        message_args args;
        const char* en;
        const char* zh;
    };
    const row rows[] = {
        {"org.no_role", {{"unit", "u"}, {"role", "r"}, {"roles", "list.none"}}, "unit \"u\" has no role \"r\"; its roles: (none)",
         "单位“u”没有角色“r”；其角色：（无）"},
        {"org.no_role", {{"unit", "u"}, {"role", "r"}, {"roles", "a, b"}}, "unit \"u\" has no role \"r\"; its roles: a, b",
         "单位“u”没有角色“r”；其角色：a, b"},
        {"report.no_template", {{"plan", "p"}, {"template", "t"}, {"list", "list.none"}},
         "plan p has no report template \"t\"; its templates: (none)", "预案 p 没有报告模板“t”；其报告模板：（无）"},
        {"deadlines.unknown_flag", {{"flag", "f"}, {"plan", "p"}, {"known", "list.none"}},
         "unknown flag \"f\" for plan p; expected one of: (none)", "预案 p 没有标志“f”；应为以下之一：（无）"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.id);
        CHECK(render_message(r.id, r.args) == r.en);
        CHECK(render_message(r.id, r.args, language::zh) == r.zh);
    }
}

TEST_CASE("a library error carries its id: the same diagnostic in English and in Chinese", "[messages]") {
    struct row {
        std::string input;
        std::string id, en, zh;
    };
    const row rows[] = {
        {"2026-13-01", "time.not_a_date", "\"2026-13-01\" is not a calendar date", "“2026-13-01”不是有效的日历日期"},
        {"26-1-1", "time.expected_date", "expected an ISO date YYYY-MM-DD; found \"26-1-1\"", "应为 ISO 日期 YYYY-MM-DD，实为“26-1-1”"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.input);
        auto d = parse_date(r.input);
        REQUIRE_FALSE(d.has_value());
        const error err = d.error();
        REQUIRE(err.diagnostics.size() == 1);
        const auto& x = err.diagnostics.front();
        CHECK(x.id == r.id);
        CHECK(x.message == r.en);
        CHECK(d.error().message() == r.en);
        CHECK(d.error().message(language::en) == r.en);
        CHECK(d.error().message(language::zh) == r.zh);
    }
    auto p = find_plan("yuzong");
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().code == errc::unknown_name);
    CHECK(p.error().diagnostics.front().id == "plan.neither");
    CHECK(p.error().message(language::zh).find("既不是内置预案") != std::string::npos);
    CHECK(p.error().message().find("is neither a built-in plan") != std::string::npos);
}

TEST_CASE("every problem of a refused plan file has an id and a Chinese text", "[messages]") {
    std::size_t files = 0, diags = 0;
    for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(VIGIL_TEST_DATA) / "plans" / "bad")) {
        if (f.path().extension() != ".json") continue;
        CAPTURE(f.path().filename().string());
        auto p = load_plan_file(f.path().string());
        REQUIRE_FALSE(p.has_value());
        for (const auto& d : p.error().diagnostics) {
            check_both_languages(d);
            ++diags;
        }
        ++files;
    }
    CHECK(files >= 40);
    CHECK(diags >= files);
}

TEST_CASE("lint findings and chart findings render in Chinese", "[messages]") {
    std::size_t findings = 0;
    for (const std::string name : {"yuzhong", "guiyang", "minimal", "wide", "declared", "decisions", "reporting_only"}) {
        auto p = find_plan(name);
        if (!p) p = load_plan_file(std::string(VIGIL_TEST_DATA) + "/plans/" + name + ".json");
        REQUIRE(p.has_value());
        for (const auto& f : lint(**p)) {
            CAPTURE(name, f.message);
            REQUIRE_FALSE(f.id.empty());
            CHECK(render_message(f.id, f.args, language::en) == f.message);
            const std::string zh = render_message(f.id, f.args, language::zh);
            CAPTURE(zh);
            CHECK(has_cjk(zh));
            CHECK_FALSE(unfilled(zh));
            ++findings;
        }
        for (const auto& f : check_charts(**p)) {
            CAPTURE(name, f.message);
            REQUIRE_FALSE(f.id.empty());
            CHECK(to_string(f, language::en) == to_string(f));
            CHECK(has_cjk(to_string(f, language::zh)));
            CHECK_FALSE(unfilled(to_string(f, language::zh)));
        }
    }
    CHECK(findings > 0);
}

TEST_CASE("a holiday notice that is not one: each problem has an id and a Chinese text", "[messages]") {
    struct row {
        std::string text, id;
    };
    const row rows[] = {
        {"hello", "notice.no_title"},
        {"国务院办公厅关于2026年部分节假日安排的\n", "notice.title_end"},
        {"国务院办公厅关于部分节假日安排的通知\n", "notice.title_year"},
        {"国务院办公厅关于2026年放假的通知\n", "notice.not_holiday"},
        {"国务院办公厅关于2026年部分节假日安排的通知\n现将2026年元旦放假调休日期的具体安排通知如下。\n二、元旦：1月1日放假。\n", "notice.item_order"},
        {"国务院办公厅关于2026年部分节假日安排的通知\n现将2026年元旦放假调休日期的具体安排通知如下。\n一、元旦：1月1日（星期三）放假。\n", "notice.wrong_weekday"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        auto n = parse_holiday_notice(r.text, "notice.txt");
        REQUIRE_FALSE(n.has_value());
        bool seen = false;
        for (const auto& d : n.error().diagnostics) {
            check_both_languages(d);
            seen = seen || d.id == r.id;
        }
        CHECK(seen);
    }
}

TEST_CASE("the readers and loaders raise no message without an id", "[messages]") {
    // A message raised as a plain string would print English under --lang zh. In these files every
    // fail(...), diag(...), io(...) and error{errc::…, …} names a catalogue id; a string literal with
    // a space in such a call is a message without one.
    const std::regex call(R"re(\b(fail|diag|io|sys_io)\s*\(|error\{errc::)re");
    const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    std::size_t files = 0;
    for (const std::string name : {"plan_load.cpp", "obligations_load.cpp", "lifecycle_load.cpp", "response_load.cpp",
                                   "organisation_load.cpp", "detect_load.cpp", "calendar_notice.cpp", "event_log.cpp",
                                   "lifecycle.cpp", "lint.cpp", "report_templates.cpp", "edge/incident_log.cpp"}) {
        const std::string text = slurp(std::filesystem::path(VIGIL_SOURCE_DIR) / "src" / name);
        REQUIRE_FALSE(text.empty());
        std::istringstream lines(text);
        std::string line;
        int n = 0;
        while (std::getline(lines, line)) {
            ++n;
            const auto first = line.find_first_not_of(' ');
            if (first == std::string::npos || line.compare(first, 2, "//") == 0 || !std::regex_search(line, call)) continue;
            for (std::sregex_iterator i(line.begin(), line.end(), literal), end; i != end; ++i) {
                CAPTURE(name, n, line);
                CHECK((*i)[1].str().find(' ') == std::string::npos);
            }
        }
        ++files;
    }
    CHECK(files == 12);
}

TEST_CASE("a list argument is joined in the message's language, an argument's Chinese form is used in Chinese", "[messages]") {
    // {by:or}: the units who may act, kept as a list until the message is rendered
    const message_args args{{"who", "区卫健委"}, {"by", list_argument({"市指挥部", "市人民政府"})}};
    CHECK(render_message("lifecycle.authority", args) == "authority: 区卫健委 may not fire it; it is fired by 市指挥部 or 市人民政府");
    CHECK(render_message("lifecycle.authority", args, language::zh) == "权限：区卫健委 无权发出此事件；应由 市指挥部或市人民政府 发出");
    const message_args one{{"who", "x"}, {"by", list_argument({"区政府"})}};
    CHECK(render_message("lifecycle.authority", one, language::zh) == "权限：x 无权发出此事件；应由 区政府 发出");
    // "name@zh" beside "name": the Chinese rendering takes it, the English one never does
    const message_args guard{{"guard", "payload has {grade}"}, {"guard@zh", "载荷含有 grade"}, {"guard_why", "lifecycle.no_level"}};
    CHECK(render_message("lifecycle.guard_failed", guard).find("guard payload has {grade} failed") == 0);
    CHECK(render_message("lifecycle.guard_failed", guard, language::zh).find("条件 载荷含有 grade 不满足") == 0);
    CHECK(message_parameters("{by:or} and {x:t}") == std::vector<std::string>{"by", "x"});
}

TEST_CASE("the notation's words come from one renderer", "[messages]") {
    // Conditions, guards and lists of who may act are rendered by vigil/notation.hpp (and a list
    // argument by the catalogue), in the language asked for. A source that joins with " and ",
    // " or ", writes "payload has", "not ", "flag " or a bound's " <= " itself would print English
    // under --lang zh.
    // Allowed: the batch API's error (English only; the C++ and C API's messages are English).
    const std::regex words(R"re("(;? (and|or) | (<=|>=) |payload has [^"]*|not |flag )")re");
    const std::set<std::string> allowed{"notation.cpp", "messages.cpp", "classify.cpp"};
    std::size_t files = 0;
    for (const auto& f : std::filesystem::recursive_directory_iterator(std::filesystem::path(VIGIL_SOURCE_DIR) / "src")) {
        if (f.path().extension() != ".cpp" || allowed.count(f.path().filename().string())) continue;
        std::istringstream lines(slurp(f.path()));
        std::string line;
        int n = 0;
        while (std::getline(lines, line)) {
            ++n;
            const auto first = line.find_first_not_of(' ');
            if (first == std::string::npos || line.compare(first, 2, "//") == 0) continue;
            const auto comment = line.find("//");
            const std::string code = comment == std::string::npos ? line : line.substr(0, comment);
            CAPTURE(f.path().filename().string(), n, line);
            CHECK_FALSE(std::regex_search(code, words));
        }
        ++files;
    }
    CHECK(files > 40);
}

TEST_CASE("a JSON parser's error is said in Chinese for its common errors", "[messages]") {
    auto p = load_plan("{\"vigil_plan\": 1,", "cut.json");
    REQUIRE_FALSE(p);
    const auto err = p.error();  // result::error() returns a copy
    const auto& d = err.diagnostics.front();
    CHECK(d.id == "json.malformed");
    CHECK(d.message == "malformed JSON: incomplete JSON");  // Boost.JSON's words, as before
    CHECK(d.text(language::zh) == "JSON 格式错误：JSON 不完整（在值结束前到达末尾）");
    auto q = load_plan("{\"vigil_plan\": 1,,}", "comma.json");
    REQUIRE_FALSE(q);
    const auto qerr = q.error();
    CHECK(qerr.diagnostics.front().text(language::zh) == "JSON 格式错误：语法错误");
    // every json.error_* entry is Boost.JSON's English word for its code
    std::size_t n = 0;
    for (const auto& e : message_catalogue())
        if (e.id.rfind("json.error_", 0) == 0) ++n;
    CHECK(n == 14);
}
