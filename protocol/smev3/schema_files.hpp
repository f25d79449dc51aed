#pragma once
// Our own SMEV 3 message-exchange schemas and WSDLs (protocol/smev3/schema/), built into the
// library so that the emulator can validate envelopes and serve `?wsdl` from any directory.
// They are written from the public structure of the official 1.1 and 1.3 sets (1.2 derived
// from 1.3); tests/unit/protocol/own_schema_test.cpp checks that they give the same verdicts.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/xml/xml.hpp"
#include "protocol/smev3/messages.hpp"

namespace gosdoki::smev3 {

struct SchemaFile {
  std::string_view name;  // e.g. "gosdoki-smev-message-exchange-types-1.3.xsd"
  std::string_view text;
};

// Every embedded file, sorted by name.
const std::vector<SchemaFile>& schema_files();
// The text of the embedded file with this name, or "" when there is none.
std::string_view schema_file(std::string_view name);
// The files of one version: the WSDL first, then its XSDs (types, basic, faults, and for 1.3
// routing and directive). A client that fetched the WSDL asks for the XSDs by these names,
// relative to the WSDL's URL.
std::vector<std::string_view> schema_file_names(Version v);
std::string wsdl_file_name(Version v);  // "gosdoki-smev-message-exchange-service-1.3.wsdl"

// The soap:address the WSDL files carry until served.
inline constexpr std::string_view kWsdlAddressPlaceholder = "http://localhost:8080/PLACEHOLDER";
// The WSDL of `v` with soap:address set to `endpoint_url`.
std::string own_wsdl(Version v, std::string_view endpoint_url);

// Which part of a version's schema set to load. `types` covers every operation's request and
// response element, `faults` the soap:Fault detail elements; `all` is both in one set, which
// is what a SOAP toolkit sees through the WSDL and what AsyncProcessingStatus/SmevFault needs
// for its xsi:type="faults:…" values.
enum class SchemaPart { types, faults, all };

// Our schema of version `v`, loaded from the embedded files; loaded once, then shared (an
// xml::Schema is immutable and safe to use from several threads).
//
// The xs:imports between the files are resolved in memory: the files are addressed as
// `gosdoki-embedded://smev3/<name>` and a libxml2 external-entity loader serves that scheme
// from the embedded table (every other URL goes to the loader that was installed before).
// Nothing is written to disk and nothing depends on the working directory. The loader is
// process-wide: the first call installs it, so make that call (the emulator does, when it
// loads its schemas) before other threads start parsing XML.
Result<xml::Schema> load_own_schema(Version v, SchemaPart part = SchemaPart::all);

// The URL under which an embedded file is resolved ("gosdoki-embedded://smev3/<name>").
std::string embedded_schema_url(std::string_view name);

}  // namespace gosdoki::smev3
