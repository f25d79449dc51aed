#include "client/operator_screen.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace gosdoki::client {
namespace {

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // code points; Cyrillic is one column each
  return n;
}

std::string pad(const std::string& s, std::size_t width) {
  std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

// Splits long values so that the table stays readable in an 80-column terminal.
std::vector<std::string> wrap(const std::string& s, std::size_t width) {
  std::vector<std::string> lines;
  std::string cur;
  std::size_t cur_w = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = s.find(' ', i);
    std::string word = s.substr(i, j == std::string::npos ? std::string::npos : j - i);
    std::size_t ww = display_width(word);
    // A word longer than the column (a certificate DN, a URL) is cut at code point boundaries.
    while (ww > width) {
      if (cur_w > 0) {
        lines.push_back(cur);
        cur.clear();
        cur_w = 0;
      }
      std::size_t cut = 0, cols = 0;
      while (cut < word.size() && cols < width) {
        ++cut;
        while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) ++cut;
        ++cols;
      }
      lines.push_back(word.substr(0, cut));
      word = word.substr(cut);
      ww = display_width(word);
    }
    if (cur_w > 0 && cur_w + 1 + ww > width) {
      lines.push_back(cur);
      cur.clear();
      cur_w = 0;
    }
    if (cur_w > 0) {
      cur += ' ';
      ++cur_w;
    }
    cur += word;
    cur_w += ww;
    if (j == std::string::npos) break;
    i = j + 1;
  }
  if (!cur.empty() || lines.empty()) lines.push_back(cur);
  return lines;
}

struct Table {
  std::vector<std::pair<std::string, std::string>> rows;
  void add(const std::string& k, const std::optional<std::string>& v) {
    if (v && !v->empty()) rows.emplace_back(k, *v);
  }
};

std::string repeat(const char* s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string gender_ru(const std::optional<std::string>& g) {
  if (!g) return {};
  return *g == "M" ? "мужской" : *g == "F" ? "женский" : *g;
}

}  // namespace

std::string render_screen(const CheckReport& r, bool verbose) {
  std::string title;
  switch (r.status) {
    case CheckReport::Status::confirmed: title = "ЛИЧНОСТЬ ПОДТВЕРЖДЕНА"; break;
    case CheckReport::Status::rejected: title = "ОТКАЗ В ПОДТВЕРЖДЕНИИ"; break;
    case CheckReport::Status::smev_error: title = "ОШИБКА СМЭВ"; break;
    case CheckReport::Status::error: title = "ОШИБКА ПРОВЕРКИ"; break;
  }
  Table t;
  if (r.response && r.status == CheckReport::Status::confirmed) {
    const auto& resp = *r.response;
    if (resp.person) {
      const auto& p = *resp.person;
      t.add("Фамилия", p.last_name);
      t.add("Имя", p.first_name);
      t.add("Отчество", p.middle_name);
      t.add("Дата рождения", p.birth_date);
      t.add("Место рождения", p.birth_place);
      t.add("Пол", gender_ru(p.gender));
      t.add("Гражданство", p.citizenship ? std::optional<std::string>(*p.citizenship == "RUS" ? "Российская Федерация" : *p.citizenship) : std::nullopt);
    }
    if (resp.doc) {
      const auto& d = *resp.doc;
      t.add("Документ", d.type ? std::optional<std::string>(*d.type == "RF_PASSPORT" ? "Паспорт гражданина РФ" : *d.type) : std::nullopt);
      t.add("Серия", d.series);
      t.add("Номер", d.number);
      t.add("Дата выдачи", d.issue_date);
      t.add("Код подразделения", d.issue_id ? std::optional<std::string>(d.issue_id->size() == 6 ? d.issue_id->substr(0, 3) + "-" + d.issue_id->substr(3) : *d.issue_id) : std::nullopt);
      t.add("Кем выдан", d.issued_by);
      t.add("Проверка документа", d.vrf_stu ? std::optional<std::string>(*d.vrf_stu == "VERIFIED" ? "подтверждён" : *d.vrf_stu) : std::nullopt);
    }
    if (resp.age_confirmed_18) t.add("Возраст 18+", *resp.age_confirmed_18 ? "подтверждён" : "НЕ подтверждён");
  }
  t.add("Код результата", r.code);
  t.add("Сообщение", r.message);
  if (r.response) {
    t.add("Номер проверки", r.response->check_id);
    t.add("Время проверки", r.response->checked_at);
  }
  t.add("Канал", r.channel);
  t.add(r.channel == "СМЭВ 4" ? "X-Request-Id" : "MessageID", r.request_message_id);

  std::size_t kw = 0;
  for (const auto& [k, v] : t.rows) kw = std::max(kw, display_width(k));
  const std::size_t vw = 52;
  std::size_t inner = kw + vw + 5;
  std::string out;
  out += "┌" + repeat("─", inner) + "┐\n";
  out += "│ " + pad("ГосДоки · " + title, inner - 2) + " │\n";
  out += "├" + repeat("─", kw + 2) + "┬" + repeat("─", vw + 2) + "┤\n";
  for (const auto& [k, v] : t.rows) {
    auto lines = wrap(v, vw);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out += "│ " + pad(i == 0 ? k : "", kw) + " │ " + pad(lines[i], vw) + " │\n";
    }
  }
  out += "└" + repeat("─", kw + 2) + "┴" + repeat("─", vw + 2) + "┘\n";
  if (verbose) {
    for (const auto& line : r.trace) out += "  · " + line + "\n";
  }
  return out;
}

std::string prefill_json(const CheckReport& r) {
  nlohmann::json j;
  j["status"] = status_name(r.status);
  j["resultCode"] = r.code;
  j["resultMessage"] = r.message;
  j["messageId"] = r.request_message_id;
  if (!r.signature_fault.empty()) j["signatureFault"] = r.signature_fault;
  if (r.http_status) j["httpStatus"] = r.http_status;
  if (r.response) {
    j["checkId"] = r.response->check_id;
    j["checkedAt"] = r.response->checked_at;
    if (r.response->age_confirmed_18) j["ageConfirmed18"] = *r.response->age_confirmed_18;
    if (r.status == CheckReport::Status::confirmed && r.response->person) {
      const auto& p = *r.response->person;
      auto put = [&](const char* k, const std::optional<std::string>& v) {
        if (v) j["person"][k] = *v;
      };
      put("lastName", p.last_name);
      put("firstName", p.first_name);
      put("middleName", p.middle_name);
      put("birthDate", p.birth_date);
      put("birthPlace", p.birth_place);
      put("gender", p.gender);
      put("citizenship", p.citizenship);
    }
    if (r.status == CheckReport::Status::confirmed && r.response->doc) {
      const auto& d = *r.response->doc;
      auto put = [&](const char* k, const std::optional<std::string>& v) {
        if (v) j["document"][k] = *v;
      };
      put("type", d.type);
      put("series", d.series);
      put("number", d.number);
      put("issueDate", d.issue_date);
      put("issueId", d.issue_id);
      put("issuedBy", d.issued_by);
      put("expiryDate", d.expiry_date);
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace gosdoki::client
