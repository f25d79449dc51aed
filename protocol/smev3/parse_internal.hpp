#pragma once
// Shared pieces of the SMEV 3 readers (parse.cpp: envelopes and calls; parse_answers.cpp: the
// answers of СМЭВ). Internal to protocol/smev3.
#include <libxml/tree.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/xml/xml.hpp"
#include "protocol/smev3/messages.hpp"
#include "protocol/smev3/parse.hpp"

namespace gosdoki::smev3::detail {

Error invalid(const xmlNode* where, const std::string& what);
std::string describe(const xmlNode* n);

// Walks the element children of a complex-type element in XSD sequence order.
class Seq {
 public:
  explicit Seq(const xmlNode* parent) : parent_(parent), cur_(xml::first_element(parent)) {}

  Status no_text() const {
    for (const xmlNode* c = parent_->children; c; c = c->next) {
      if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && !xmlIsBlankNode(c)) {
        return invalid(parent_, "text is not allowed here, only elements");
      }
    }
    return {};
  }
  xmlNode* opt(std::string_view ns, std::string_view local) {
    if (!xml::is(cur_, ns, local)) return nullptr;
    xmlNode* r = cur_;
    cur_ = xml::next_element(cur_);
    return r;
  }
  Result<xmlNode*> req(std::string_view ns, std::string_view local) {
    if (xmlNode* r = opt(ns, local)) return r;
    return invalid(parent_, "expected element " + std::string(local) + " {" + std::string(ns) + "}, found " +
                                describe(cur_));
  }
  const xmlNode* peek() const { return cur_; }
  Status end() const {
    if (cur_) return invalid(cur_, "unexpected " + describe(cur_));
    return {};
  }

 private:
  const xmlNode* parent_;
  xmlNode* cur_;
};


Result<std::string> simple(const xmlNode* n, std::size_t max_len = 0);
Result<std::string> uuid_text(const xmlNode* n);
Result<std::string> datetime_text(const xmlNode* n);
Result<std::optional<bool>> boolean_attr(const xmlNode* n, const char* name);
bool ncname(std::string_view s);
Result<std::string> id_attr(const xmlNode* n, bool required);
Result<Business> primary_content(const xmlNode* mpc, const Namespaces& n);
Result<std::vector<AttachmentHeader>> attachment_headers(const xmlNode* list, const Namespaces& n, Version v);
Result<std::vector<AttachmentContent>> attachment_contents(const xmlNode* list, const Namespaces& n);
Result<SenderProvidedRequestData> request_data(const xmlNode* node, const Namespaces& n, Business& business,
                                               Version v = Version::v1_3);
Result<FaultInfo> smev_fault_content(const xmlNode* node, const Namespaces& n, std::string name);
Result<SenderProvidedResponseData> response_data(const xmlNode* node, const Namespaces& n, Business& business);
Result<MessageMetadata> metadata(const xmlNode* node, const Namespaces& n);
xmlNode* signature_wrapper(Seq& s, const Namespaces& n, const char* name);
Status body_is(const Envelope& env, const char* local);

}  // namespace gosdoki::smev3::detail
