#include "protocol/ids/identifiers.hpp"

#include <array>

namespace gosdoki::ids {
namespace {

bool digits(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int d(char c) { return c - '0'; }

template <std::size_t N>
int weighted(std::string_view s, const std::array<int, N>& w) {
  int sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += d(s[i]) * w[i];
  return sum % 11 % 10;
}

constexpr std::array<int, 9> kInn10{2, 4, 10, 3, 5, 9, 4, 6, 8};
constexpr std::array<int, 10> kInn12a{7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
constexpr std::array<int, 11> kInn12b{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};

int ogrn_check(std::string_view first12) {
  // The 12-digit number modulo 11, last digit of the remainder; done digit by digit.
  long long rem = 0;
  for (char c : first12) rem = (rem * 10 + d(c)) % 11;
  return static_cast<int>(rem % 10);
}

int snils_check(std::string_view nine) {
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += d(nine[static_cast<std::size_t>(i)]) * (9 - i);
  if (sum < 100) return sum;
  if (sum == 100 || sum == 101) return 0;
  int r = sum % 101;
  return r == 100 ? 0 : r;
}

std::string strip_snils(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
    else if (c != '-' && c != ' ') return {};
  }
  return out;
}

}  // namespace

bool valid_ogrn(std::string_view s) { return digits(s, 13) && ogrn_check(s.substr(0, 12)) == d(s[12]); }

bool valid_inn_legal(std::string_view s) { return digits(s, 10) && weighted(s, kInn10) == d(s[9]); }

bool valid_inn_person(std::string_view s) {
  return digits(s, 12) && weighted(s, kInn12a) == d(s[10]) && weighted(s, kInn12b) == d(s[11]);
}

bool valid_snils(std::string_view s) {
  std::string n = strip_snils(s);
  if (!digits(n, 11)) return false;
  int check = d(n[9]) * 10 + d(n[10]);
  return snils_check(n) == check;
}

bool valid_kpp(std::string_view s) {
  if (s.size() != 9) return false;
  for (std::size_t i = 0; i < 9; ++i) {
    char c = s[i];
    bool digit = c >= '0' && c <= '9';
    bool upper = c >= 'A' && c <= 'Z';
    if ((i == 4 || i == 5) ? !(digit || upper) : !digit) return false;
  }
  return true;
}

std::string ogrn_with_check(std::string_view first12) {
  return std::string(first12) + static_cast<char>('0' + ogrn_check(first12));
}

std::string inn_legal_with_check(std::string_view first9) {
  std::string s(first9);
  s += '0';
  s[9] = static_cast<char>('0' + weighted(s, kInn10));
  return s;
}

std::string snils_with_check(std::string_view n) {
  int c = snils_check(n);
  std::string out;
  out += n.substr(0, 3);
  out += '-';
  out += n.substr(3, 3);
  out += '-';
  out += n.substr(6, 3);
  out += ' ';
  out += static_cast<char>('0' + c / 10);
  out += static_cast<char>('0' + c % 10);
  return out;
}

std::string inn_legal_as_12(std::string_view inn10) { return "00" + std::string(inn10); }

}  // namespace gosdoki::ids
