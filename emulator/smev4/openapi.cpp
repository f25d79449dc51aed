// Until the OpenAPI document is embedded from protocol/smev4/openapi.
#include "emulator/smev4/service.hpp"

namespace gosdoki::emulator {
std::string_view smev4_openapi_document() { return R"({"openapi":"3.0.3","info":{"title":"pending","version":"0"},"paths":{}})"; }
}  // namespace gosdoki::emulator
