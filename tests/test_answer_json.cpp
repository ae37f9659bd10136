// vigil/detail/answer_json.hpp: the writer every answer's JSON goes through writes what
// Boost.JSON's serializer writes (the answers' bytes did not change when they moved to it).
#include <vigil/detail/answer_json.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <climits>
#include <string>

using vigil::detail::answer_json::writer;

TEST_CASE("the answers' writer escapes strings as Boost.JSON's serializer does", "[answer_json]") {
    std::vector<std::string> cases = {"", "plain", "引号\"与\\反斜杠", "line\nbreak\ttab\rret\bback\fform", "\x7f del",
                                      "黄色预警（三级）", std::string("nul\0in", 6)};
    for (int c = 0; c < 128; ++c) cases.push_back(std::string("a") + static_cast<char>(c) + "z");
    for (const auto& s : cases) {
        std::string out;
        writer(out).value(s);
        CHECK(out == boost::json::serialize(boost::json::string(s)));
    }
}

TEST_CASE("the answers' writer: numbers, booleans, null, nesting and separators", "[answer_json]") {
    std::string out;
    writer w(out);
    w.begin_object()
        .field("a", 0)
        .field("b", -7L)
        .field("c", LLONG_MIN)
        .field("d", ULLONG_MAX)
        .field("e", true)
        .key("f")
        .null()
        .key("g")
        .begin_array()
        .value(1)
        .begin_object()
        .end_object()
        .begin_array()
        .end_array()
        .value("x")
        .end_array()
        .strings("h", {"p", "q"})
        .end_object();
    boost::json::object o{{"a", 0},    {"b", -7},       {"c", LLONG_MIN}, {"d", ULLONG_MAX},
                          {"e", true}, {"f", nullptr}, {"g", boost::json::array{1, boost::json::object{}, boost::json::array{}, "x"}},
                          {"h", boost::json::array{"p", "q"}}};
    CHECK(out == boost::json::serialize(o));
}
