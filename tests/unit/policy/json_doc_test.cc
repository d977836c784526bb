// json::Doc, the snapshot's fast exact JSON reader: grammar, exact numbers, repeated keys, depth,
// trailing content, member lookup, and agreement with nlohmann on valid documents.
#include "policy/json_doc.h"

#include <array>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace stakeward::policy::json {
namespace {

struct Row {
  const char* name;
  std::string text;
  const char* expect;  // substring of the error; nullptr: accepted
};

class DocRows : public ::testing::TestWithParam<Row> {};

TEST_P(DocRows, Verdict) {
  const Row& r = GetParam();
  auto d = Doc::Parse(r.text, "t");
  if (r.expect == nullptr) {
    EXPECT_TRUE(d.ok()) << d.status();
    return;
  }
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find(r.expect), std::string::npos) << d.status();
}

// Grammar per RFC 8259; every refused row is also refused by nlohmann (checked below).
INSTANTIATE_TEST_SUITE_P(
    Grammar, DocRows,
    ::testing::Values(
        Row{"object", R"({"a":1})", nullptr},
        Row{"spaces", " \n{ \"k\" : [ 1 , {\"x\":null}, true, \"s\\n\" ] }\t ", nullptr},
        Row{"exponent", "[1e5, -0.5E-3, 0]", nullptr}, Row{"root_string", R"("s")", nullptr},
        Row{"root_number", "12 ", nullptr}, Row{"root_false", " false ", nullptr},
        Row{"root_null", "null", nullptr},
        // simdjson 3.0.1 alone accepts these two for false (snapshot_json_fuzz found the first).
        Row{"root_false_plus", " false+", "not valid JSON"},
        Row{"root_falsee", "falsee", "not valid JSON"},
        Row{"root_true_minus", "true-", "not valid JSON"},
        Row{"root_null_suffix", "nullx", "not valid JSON"},
        Row{"trailing_word", R"({"a":1} x)", "not valid JSON"},
        Row{"two_roots", R"({"a":1}{})", "not valid JSON"},
        Row{"two_numbers", "1 2", "not valid JSON"},
        Row{"number_then_word", "123abc", "not valid JSON"},
        Row{"missing_comma", "[1 2]", "not valid JSON"},
        Row{"number_suffix", "[1x]", "not valid JSON"},
        Row{"leading_zero", "[01]", "not valid JSON"}, Row{"bare_dot", "[1.]", "not valid JSON"},
        Row{"bare_minus", "[-]", "not valid JSON"}, Row{"plus_sign", "[+1]", "not valid JSON"},
        Row{"bad_true", R"({"a":tru})", "not valid JSON"},
        Row{"bad_null", R"({"a":nul})", "not valid JSON"},
        Row{"control_char", std::string("{\"a\":\"\x01\"}"), "not valid JSON"},
        Row{"invalid_utf8", std::string("{\"a\":\"\xff\"}"), "not valid JSON"},
        Row{"lone_surrogate", R"(["\ud800"])", "not valid JSON"},
        Row{"trailing_comma_object", R"({"a":1,})", "not valid JSON"},
        Row{"trailing_comma_array", "[1,]", "not valid JSON"},
        Row{"missing_colon", R"({"a" 1})", "not valid JSON"},
        Row{"extra_close", "[1]]", "not valid JSON"},
        Row{"unclosed", R"({"a": )", "not valid JSON"}, Row{"empty", "", "not valid JSON"},
        Row{"blank", "   ", "not valid JSON"},
        Row{"duplicate_key", R"({"a":1,"a":2})", "\"a\" appears twice"},
        Row{"duplicate_nested_key", R"({"x":[{"b":1,"c":2,"b":3}]})", "\"b\" appears twice"},
        Row{"duplicate_in_large_object",
            R"({"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,)"
            R"("k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k3":3})",
            "\"k3\" appears twice"},
        Row{"depth_64", std::string(64, '[') + std::string(64, ']'), nullptr},
        Row{"depth_65", std::string(65, '[') + std::string(65, ']'), "nested too deeply"}),
    [](const ::testing::TestParamInfo<Row>& info) { return std::string(info.param.name); });

TEST(Doc, RefusedRowsAreInvalidForNlohmannToo) {
  for (const char* text :
       {R"({"a":1} x)", "[1 2]", "[01]", "[1.]", "[+1]", R"({"a":1,})", " false+", "falsee"}) {
    EXPECT_TRUE(nlohmann::json::parse(text, nullptr, false).is_discarded()) << text;
    EXPECT_FALSE(Doc::Parse(text, "t").ok()) << text;
  }
}

TEST(Doc, NumbersStayExact) {
  auto d = Doc::Parse(R"({"a": 18446744073709551615, "b": 0.1, "c": "text 1.5", "d": [-3],
                          "e": 1180591620717411303424, "f": "7"})",
                      "t");
  ASSERT_TRUE(d.ok()) << d.status();
  const Node& r = d->root();
  EXPECT_EQ(*U64(*r.Member("a"), "a"), UINT64_MAX);
  EXPECT_EQ(*RatioOf(*r.Member("b"), "b"), Ratio::Of(1, 10));
  EXPECT_EQ(*Str(*r.Member("c"), "c"), "text 1.5");
  EXPECT_FALSE(U64(*r.Member("d")->begin(), "d").ok());  // negative
  EXPECT_FALSE(U64(*r.Member("b"), "b").ok());           // a fraction
  EXPECT_FALSE(U64(*r.Member("e"), "e").ok());           // 2^70
  EXPECT_EQ(r.Member("e")->text(), "1180591620717411303424");
  EXPECT_EQ(*U64(*r.Member("f"), "f"), 7u);  // digits in a string, as json_exact.h reads them
  EXPECT_FALSE(Str(*r.Member("a"), "a").ok());
}

TEST(Doc, MembersAreFoundInAnyOrder) {
  for (const char* text : {R"({"x":1,"y":"two","z":[3]})", R"({"z":[3],"y":"two","x":1})"}) {
    auto d = Doc::Parse(text, "t");
    ASSERT_TRUE(d.ok());
    const auto [x, y, z, w] = d->root().Members<4>({"x", "y", "z", "w"});
    ASSERT_NE(x, nullptr);
    ASSERT_NE(y, nullptr);
    ASSERT_NE(z, nullptr);
    EXPECT_EQ(w, nullptr);
    EXPECT_EQ(x->text(), "1");
    EXPECT_EQ(y->text(), "two");
    ASSERT_TRUE(z->is_array());
    EXPECT_EQ(z->size(), 1u);
    EXPECT_EQ(d->root().Member("y"), y);
    EXPECT_EQ(d->root().Member("w"), nullptr);
    EXPECT_EQ(x->Member("x"), nullptr);  // not an object
  }
}

// A MemberOrder learnt from one object must not mislead the reading of the next: objects in
// changing orders, with members missing, extra or of the same length, read as without it.
TEST(Doc, MemberOrderNeverChangesWhatIsFound) {
  const std::array<absl::string_view, 4> names = {"ab", "cd", "e", "fgh"};
  MemberOrder order;
  for (const char* text : {
           R"({"ab":1,"cd":2,"e":3,"fgh":4})",
           R"({"ab":1,"cd":2,"e":3,"fgh":4})",  // the learnt order: one compare each
           R"({"cd":2,"ab":1,"fgh":4,"e":3})",  // same lengths swapped at learnt places
           R"({"zz":0,"ab":1,"cd":2,"e":3})",   // an unknown key shifts the rest
           R"({"e":3})",                        // most members missing
           R"({"ab":1,"x1":9,"x2":9,"x3":9,"x4":9,"x5":9,"x6":9,"x7":9,"x8":9,"x9":9,"y0":9,
               "y1":9,"y2":9,"y3":9,"y4":9,"y5":9,"y6":9,"y7":9,"y8":9,"y9":9,"z0":9,"z1":9,
               "z2":9,"z3":9,"z4":9,"z5":9,"z6":9,"z7":9,"z8":9,"z9":9,"w0":9,"w1":9,"fgh":4,
               "cd":2})",                       // members beyond the 32 remembered places
           R"({"ab":1,"cd":2,"e":3,"fgh":4})",
       }) {
    SCOPED_TRACE(text);
    auto d = Doc::Parse(text, "t");
    ASSERT_TRUE(d.ok());
    const auto learnt = d->root().Members(names, order);
    const auto plain = d->root().Members(names);
    for (size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(learnt[i], plain[i]) << names[i];
      EXPECT_EQ(learnt[i], d->root().Member(names[i])) << names[i];
    }
  }
}

// Every string, number, key and container agrees with nlohmann's reading of the same text.
void Compare(const Node& n, const nlohmann::json& j, const std::string& path) {
  SCOPED_TRACE(path);
  if (j.is_object()) {
    ASSERT_TRUE(n.is_object());
    ASSERT_EQ(n.size(), j.size());
    for (const auto& [k, v] : j.items()) {
      const Node* m = n.Member(k);
      ASSERT_NE(m, nullptr) << k;
      Compare(*m, v, path + "." + k);
    }
  } else if (j.is_array()) {
    ASSERT_TRUE(n.is_array());
    ASSERT_EQ(n.size(), j.size());
    size_t i = 0;
    for (const Node& e : n) {
      Compare(e, j[i], path + "[" + std::to_string(i) + "]");
      ++i;
    }
    EXPECT_EQ(i, j.size());
  } else if (j.is_string()) {
    ASSERT_TRUE(n.is_string());
    EXPECT_EQ(n.text(), j.get<std::string>());
  } else if (j.is_boolean()) {
    ASSERT_TRUE(n.is_boolean());
    EXPECT_EQ(n.boolean(), j.get<bool>());
  } else if (j.is_null()) {
    EXPECT_TRUE(n.is_null());
  } else {
    ASSERT_TRUE(n.is_number());
    EXPECT_EQ(nlohmann::json::parse(std::string(n.text())), j);
  }
}

TEST(Doc, AgreesWithNlohmann) {
  const std::string text =
      R"({"s": "a\"b\\c\/d\u00e9\ud83d\ude00\n", "n": [0, -1, 2.5, 1e3, 12345678901234],
    "o": {"t": true, "f": false, "z": null, "e": {}, "a": []}, "u": "\u0000x", "k\u0041": 1})";
  auto d = Doc::Parse(text, "t");
  ASSERT_TRUE(d.ok()) << d.status();
  Compare(d->root(), nlohmann::json::parse(text), "$");
}

TEST(Doc, LiveDocumentsDoNotShareStorage) {
  std::vector<Doc> docs;
  for (int i = 0; i < 8; ++i) {
    auto d = Doc::Parse("{\"v\": \"value " + std::to_string(i) + "\"}", "t");
    ASSERT_TRUE(d.ok());
    docs.push_back(std::move(*d));
  }
  docs.erase(docs.begin(), docs.begin() + 4);  // their storage goes back for reuse
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Doc::Parse("{\"v\": \"other\"}", "t").ok());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(docs[i].root().Member("v")->text(), "value " + std::to_string(i + 4));
  }
}

}  // namespace
// The node cap bounds memory for documents of tiny values: a document with one node more than
// the cap is refused, one with exactly the cap's worth parses.
TEST(Doc, NodeCapRefusesDocumentsOfTinyValues) {
  std::string text = "[";
  for (int i = 0; i < 999; ++i) text += "0,";
  text += "0]";  // 1 array + 1000 numbers = 1001 nodes
  EXPECT_TRUE(Doc::Parse(text, "doc", 1001).ok());
  absl::StatusOr<Doc> over = Doc::Parse(text, "doc", 1000);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(over.status().message().find("more than 1000"), std::string::npos) << over.status();
  // Keys count: {"a":0} is three nodes.
  EXPECT_TRUE(Doc::Parse(R"({"a":0})", "doc", 3).ok());
  EXPECT_FALSE(Doc::Parse(R"({"a":0})", "doc", 2).ok());
  EXPECT_GE(Doc::kMaxNodes, size_t{1} << 25);
}

}  // namespace stakeward::policy::json
