// The OpenAPI document, embedded from protocol/smev4/openapi/gosqr-openapi.json by
// emulator/CMakeLists.txt (exact bytes).
#include "emulator/smev4/service.hpp"

extern "C" const unsigned char gosdoki_smev4_openapi[];
extern "C" const unsigned char gosdoki_smev4_openapi_end[];

namespace gosdoki::emulator {

std::string_view smev4_openapi_document() {
  return {reinterpret_cast<const char*>(gosdoki_smev4_openapi),
          static_cast<std::size_t>(gosdoki_smev4_openapi_end - gosdoki_smev4_openapi)};
}

}  // namespace gosdoki::emulator
