#include "control/placement/member_of.h"

#include <cctype>

namespace drydock::control {
namespace {

bool IsPunctuation(char c) { return c == '[' || c == ']' || c == '(' || c == ')' || c == ','; }

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (IsPunctuation(c)) {
      tokens.emplace_back(1, c);
      ++i;
    } else if ((c == '=' || c == '!') && i + 1 < text.size() &&
               (text[i + 1] == '=' || text[i + 1] == '~')) {
      tokens.emplace_back(text.substr(i, 2));
      i += 2;
    } else {
      size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
             !IsPunctuation(text[end]) &&
             !((text[end] == '=' || text[end] == '!') && end + 1 < text.size() &&
               (text[end + 1] == '=' || text[end + 1] == '~'))) {
        ++end;
      }
      tokens.emplace_back(text.substr(i, end - i));
      i = end;
    }
  }
  return tokens;
}

class Parser {
 public:
  explicit Parser(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

  Result<MemberOfExpression> Parse() {
    MemberOfExpression expression;
    expression.any_of.emplace_back();
    while (true) {
      Result<MemberOfTerm> term = ParseTerm();
      if (!term.ok()) return term.status();
      expression.any_of.back().push_back(std::move(*term));
      if (AtEnd()) return expression;
      const std::string& joiner = Next();
      if (joiner == "or" || joiner == "||") {
        expression.any_of.emplace_back();
      } else if (joiner != "and" && joiner != "&&") {
        return InvalidArgument("expected \"and\" or \"or\", found \"" + joiner + "\"");
      }
    }
  }

 private:
  bool AtEnd() const { return position_ >= tokens_.size(); }
  const std::string& Next() { return tokens_[position_++]; }

  Result<std::string> ParseAttribute() {
    if (AtEnd()) return InvalidArgument("expected an attribute");
    const std::string& word = Next();
    if (word == "ec2InstanceId") return word;
    static constexpr std::string_view kPrefix = "attribute:";
    if (word.size() > kPrefix.size() && word.compare(0, kPrefix.size(), kPrefix) == 0) {
      return word.substr(kPrefix.size());
    }
    return InvalidArgument("expected \"attribute:NAME\" or \"ec2InstanceId\", found \"" + word +
                           "\"");
  }

  Result<std::vector<std::string>> ParseList() {
    if (AtEnd() || (tokens_[position_] != "[" && tokens_[position_] != "(")) {
      return InvalidArgument("expected \"[\" after \"in\"");
    }
    const std::string close = Next() == "[" ? "]" : ")";
    std::vector<std::string> values;
    while (!AtEnd()) {
      const std::string& value = Next();
      if (IsPunctuation(value[0]))
        return InvalidArgument("expected a value, found \"" + value + "\"");
      values.push_back(value);
      if (AtEnd()) break;
      const std::string& separator = Next();
      if (separator == close) return values;
      if (separator != ",") return InvalidArgument("expected \",\" or \"" + close + "\"");
    }
    return InvalidArgument("unterminated list, expected \"" + close + "\"");
  }

  Result<MemberOfTerm> ParseTerm() {
    MemberOfTerm term;
    Result<std::string> attribute = ParseAttribute();
    if (!attribute.ok()) return attribute.status();
    term.attribute = std::move(*attribute);
    if (AtEnd()) return InvalidArgument("expected an operator after \"" + term.attribute + "\"");
    std::string op = Next();
    if (op == "not") {
      if (AtEnd() || Next() != "in") return InvalidArgument("expected \"in\" after \"not\"");
      op = "not in";
    }
    if (op == "in" || op == "not in") {
      term.op = op == "in" ? MemberOfTerm::Op::kIn : MemberOfTerm::Op::kNotIn;
      Result<std::vector<std::string>> values = ParseList();
      if (!values.ok()) return values.status();
      term.values = std::move(*values);
      return term;
    }
    if (op == "==")
      term.op = MemberOfTerm::Op::kEquals;
    else if (op == "!=")
      term.op = MemberOfTerm::Op::kNotEquals;
    else if (op == "=~")
      term.op = MemberOfTerm::Op::kMatches;
    else if (op == "!~")
      term.op = MemberOfTerm::Op::kNotMatches;
    else
      return InvalidArgument("unknown operator \"" + op + "\"");
    if (AtEnd()) return InvalidArgument("expected a value after \"" + op + "\"");
    term.values.push_back(Next());
    return term;
  }

  std::vector<std::string> tokens_;
  size_t position_ = 0;
};

bool TermHolds(const MemberOfTerm& term, const std::map<std::string, std::string>& attributes) {
  using Op = MemberOfTerm::Op;
  const auto it = attributes.find(term.attribute);
  const bool negated =
      term.op == Op::kNotEquals || term.op == Op::kNotMatches || term.op == Op::kNotIn;
  if (it == attributes.end()) return negated;
  bool positive = false;
  for (const std::string& value : term.values) {
    const bool glob = term.op == Op::kMatches || term.op == Op::kNotMatches;
    positive = positive || (glob ? GlobMatches(value, it->second) : value == it->second);
  }
  return negated ? !positive : positive;
}

}  // namespace

Result<MemberOfExpression> ParseMemberOf(std::string_view text) {
  std::vector<std::string> tokens = Tokenize(text);
  if (tokens.empty()) return InvalidArgument("memberOf needs an expression");
  return Parser(std::move(tokens)).Parse();
}

bool MatchesMemberOf(const MemberOfExpression& expression,
                     const std::map<std::string, std::string>& attributes) {
  for (const std::vector<MemberOfTerm>& clause : expression.any_of) {
    bool all = true;
    for (const MemberOfTerm& term : clause) all = all && TermHolds(term, attributes);
    if (all) return true;
  }
  return false;
}

bool GlobMatches(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with backtracking to the last "*".
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace drydock::control
