#pragma once
// Russian registry identifiers with their check digits: ОГРН, ИНН (ЮЛ 10 digits, ФЛ 12),
// СНИЛС, КПП. Used to make fixtures that pass real validators and to check input.
#include <string>
#include <string_view>

namespace gosdoki::ids {

bool valid_ogrn(std::string_view s);       // 13 digits
bool valid_inn_legal(std::string_view s);  // 10 digits
bool valid_inn_person(std::string_view s); // 12 digits
bool valid_snils(std::string_view s);      // "000-000-600 06" or 11 digits
bool valid_kpp(std::string_view s);        // 9 chars: NNNN PP NNN (PP may be A-Z)

// Complete a number with its check digit(s).
std::string ogrn_with_check(std::string_view first12);
std::string inn_legal_with_check(std::string_view first9);
std::string snils_with_check(std::string_view first9);  // formatted "NNN-NNN-NNN CC"

// ИНН ЮЛ in the 12-digit form of OID 1.2.643.3.131.1.1 in older certificates ("00" + 10 digits).
std::string inn_legal_as_12(std::string_view inn10);

}  // namespace gosdoki::ids
