#pragma once
// xs:dateTime, xs:date and durations, without a time-zone database: SMEV and ЕПГУ write
// Moscow time with an explicit +03:00 offset, which is all we need.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time/clock.hpp"

namespace gosdoki {

constexpr int kMoscowOffsetMinutes = 180;

// 2026-01-15T10:00:00.000+03:00 (milliseconds, explicit offset).
std::string format_datetime(TimePoint t, int offset_minutes = kMoscowOffsetMinutes);
// Accepts xs:dateTime with any number of fraction digits and Z or ±hh:mm; a value without an
// offset is read as Moscow time (the SMEV server zone).
Result<TimePoint> parse_datetime(std::string_view text);

// yyyy-MM-dd in the given offset.
std::string format_date(TimePoint t, int offset_minutes = kMoscowOffsetMinutes);
// yyyy-MM-dd -> midnight of that day in the given offset.
Result<TimePoint> parse_date(std::string_view text, int offset_minutes = kMoscowOffsetMinutes);
// dd.MM.yyyy (ЕСИА REST style) <-> yyyy-MM-dd
Result<std::string> esia_date_to_iso(std::string_view ddmmyyyy);

// "181s", "3m", "2h", "1d", "250ms", "1h30m"
Result<Micros> parse_duration(std::string_view text);
std::string format_duration(Micros d);

// Whole years between two dates (age on a given day).
int years_between(TimePoint birth, TimePoint at, int offset_minutes = kMoscowOffsetMinutes);

}  // namespace gosdoki
