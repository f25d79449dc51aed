#pragma once
// The same contract as JSON for the СМЭВ 4 channel (domain/gosdoki.md §11.12): camelCase names
// identical to the XML element names, `requestedDocs` an array of docType strings, no `Id`.
// Reading checks presence and JSON types here, naming the field; the value rules (patterns,
// enumerations, lengths) are the XSD's, applied to the XML form, so both channels refuse the
// same values.
#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "protocol/gosqr/contract.hpp"

namespace gosdoki::gosqr {

nlohmann::json to_json(const CheckRequest& r);
nlohmann::json to_json(const CheckResponse& r);
// Errors: gosqr.json_field with the field path ("organization.ogrn") in the message.
Result<CheckRequest> request_from_json(const nlohmann::json& j);
Result<CheckResponse> response_from_json(const nlohmann::json& j);
// The XSD's verdict on a request read from JSON; the message names the field.
Status validate_request_values(const CheckRequest& r);

}  // namespace gosdoki::gosqr
