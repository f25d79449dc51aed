// The seed's sequence diagram (citizen → ИС → СМЭВ → ЕПГУ, ЕСИА) drawn from one run's
// journal: one arrow per wire event, in journal order, labelled with the operation and its
// outcome; refusals and injected faults in red.
#include <algorithm>
#include <map>

#include "core/xml/xml.hpp"
#include "harness/report/report.hpp"

namespace gosdoki::harness {

namespace {

constexpr int kLaneWidth = 190, kTop = 56, kRow = 30, kMargin = 20;

bool is_ok(const std::string& outcome) {
  static const char* kOk[] = {"ok", "OK", "empty", "requestIsQueued", "mpgu", "max", "messageIsDelivered"};
  return std::find(std::begin(kOk), std::end(kOk), outcome) != std::end(kOk);
}

std::string esc(const std::string& s) { return xml::escape_attr(s); }

std::string short_text(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  // Cut on a UTF-8 boundary.
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

}  // namespace

std::string sequence_svg(const RunRecord& r) {
  enum Lane { citizen, is, smev, epgu, esia, kLanes };
  const bool smev4 = r.channel == "smev4";
  const std::string names[kLanes] = {"Гражданин (МПГУ)", "ИС ЮЛ " + r.organisation, smev4 ? "СМЭВ 4" : "СМЭВ 3", "ЕПГУ",
                                     "ЕСИА"};
  struct Arrow {
    int from, to;
    std::string label;
    bool ok;
    bool note = false;
  };
  std::vector<Arrow> arrows;
  for (const auto& e : r.journal) {
    std::string label = e.operation + (e.outcome.empty() ? "" : " → " + e.outcome);
    if (e.channel == "wallet") {
      arrows.push_back({citizen, is, "QR (" + e.outcome + ") показан и отсканирован", true});
    } else if (e.channel == "smev3") {
      bool provider = e.participant == r.provider ||
                      (e.participant.empty() && (e.operation == "GetRequest" || e.operation == "SendResponse"));
      arrows.push_back({provider ? epgu : is, smev, label, is_ok(e.outcome)});
    } else if (e.channel == "smev4") {
      arrows.push_back({is, smev, label, is_ok(e.outcome)});
    } else if (e.channel == "esia") {
      arrows.push_back({is, esia, label, is_ok(e.outcome)});
    } else if (e.channel == "epgu") {
      if (e.operation == "check") {
        arrows.push_back({epgu, esia, "документы (gosqr_docs_digpassport), фото сверено → " + e.outcome, is_ok(e.outcome)});
      } else if (!is_ok(e.outcome)) {
        arrows.push_back({epgu, epgu, label, false, true});
      }
    } else if (e.channel == "admin") {
      arrows.push_back({citizen, esia, "сценарий: " + e.operation + " " + e.outcome, false, true});
    }
  }
  const int width = kMargin * 2 + kLaneWidth * kLanes;
  const int height = kTop + kRow * static_cast<int>(arrows.size() + 1) + 20;
  auto x_of = [&](int lane) { return kMargin + kLaneWidth * lane + kLaneWidth / 2; };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence\" width=\"" + std::to_string(width) +
                  "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
                  std::to_string(height) + "\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n";
  s += "<title>Sequence of the run over " + esc(names[smev]) + ", from the journal</title>\n";
  s += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
       "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n";
  for (int l = 0; l < kLanes; ++l) {
    int x = x_of(l);
    s += "<rect x=\"" + std::to_string(x - kLaneWidth / 2 + 8) + "\" y=\"8\" width=\"" + std::to_string(kLaneWidth - 16) +
         "\" height=\"28\" rx=\"4\" fill=\"#eef3fb\" stroke=\"#3b5b8c\"/>\n";
    s += "<text x=\"" + std::to_string(x) + "\" y=\"26\" text-anchor=\"middle\" font-weight=\"bold\">" + esc(names[l]) + "</text>\n";
    s += "<line x1=\"" + std::to_string(x) + "\" y1=\"36\" x2=\"" + std::to_string(x) + "\" y2=\"" + std::to_string(height - 10) +
         "\" stroke=\"#9aa9c0\" stroke-dasharray=\"4 4\"/>\n";
  }
  int y = kTop;
  for (const auto& a : arrows) {
    y += kRow;
    const char* colour = a.ok ? "#1d3557" : "#c0392b";
    if (a.note) {
      int x1 = x_of(a.from) - kLaneWidth / 2 + 10, x2 = x_of(a.to) + kLaneWidth / 2 - 10;
      s += "<rect x=\"" + std::to_string(x1) + "\" y=\"" + std::to_string(y - 16) + "\" width=\"" + std::to_string(x2 - x1) +
           "\" height=\"20\" fill=\"#fff4d6\" stroke=\"#d4a017\"/>\n";
      s += "<text x=\"" + std::to_string((x1 + x2) / 2) + "\" y=\"" + std::to_string(y - 2) + "\" text-anchor=\"middle\">" +
           esc(short_text(a.label, 150)) + "</text>\n";
      continue;
    }
    int x1 = x_of(a.from), x2 = x_of(a.to);
    s += "<line class=\"message\" x1=\"" + std::to_string(x1) + "\" y1=\"" + std::to_string(y) + "\" x2=\"" + std::to_string(x2) +
         "\" y2=\"" + std::to_string(y) + "\" stroke=\"" + colour + "\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n";
    s += "<text x=\"" + std::to_string((x1 + x2) / 2) + "\" y=\"" + std::to_string(y - 5) + "\" text-anchor=\"middle\" fill=\"" +
         colour + "\">" + esc(short_text(a.label, std::abs(x2 - x1) / 6 + 12)) + "</text>\n";
  }
  s += "</svg>\n";
  return s;
}

}  // namespace gosdoki::harness
