//! Dutch local time without a time zone database.
//!
//! Instants are stored and compared in UTC; what people see (and the local
//! times the domain's records carry, such as a contact moment's time) is
//! Europe/Amsterdam time: CET (UTC+1) in winter, CEST (UTC+2) from the last
//! Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (the EU
//! rule, unchanged since 1996). The machine's own time zone plays no part: a
//! laptop or server set to UTC still shows Dutch time.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

/// The last Sunday of `month` in `year`, at 01:00 UTC: when summer time
/// starts (March) or ends (October).
fn switch(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let mut day = first_next.pred_opt()?;
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt()?;
    }
    Utc.from_local_datetime(&day.and_hms_opt(1, 0, 0)?).single()
}

/// Hours Dutch time is ahead of UTC at `instant`: 1 (CET) or 2 (CEST).
pub fn dutch_offset_hours(instant: DateTime<Utc>) -> i64 {
    let year = instant.year();
    match (switch(year, 3), switch(year, 10)) {
        (Some(start), Some(end)) if instant >= start && instant < end => 2,
        _ => 1,
    }
}

/// The Dutch wall-clock time at `instant`.
pub fn dutch_local(instant: DateTime<Utc>) -> NaiveDateTime {
    (instant + Duration::hours(dutch_offset_hours(instant))).naive_utc()
}

/// The Dutch calendar day at `instant`.
pub fn dutch_date(instant: DateTime<Utc>) -> NaiveDate {
    dutch_local(instant).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    fn hm(t: NaiveDateTime) -> String {
        t.format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn winter_is_one_hour_ahead_and_summer_two() {
        assert_eq!(hm(dutch_local(utc(2026, 3, 2, 9, 0))), "2026-03-02 10:00");
        assert_eq!(hm(dutch_local(utc(2026, 7, 2, 9, 0))), "2026-07-02 11:00");
        assert_eq!(
            hm(dutch_local(utc(2026, 11, 23, 14, 5))),
            "2026-11-23 15:05"
        );
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march_at_one_utc() {
        // 2026-03-29 is the last Sunday of March: 02:00 local becomes 03:00.
        assert_eq!(hm(dutch_local(utc(2026, 3, 29, 0, 59))), "2026-03-29 01:59");
        assert_eq!(hm(dutch_local(utc(2026, 3, 29, 1, 0))), "2026-03-29 03:00");
        // 2027: the last Sunday of March is the 28th, not the 29th.
        assert_eq!(dutch_offset_hours(utc(2027, 3, 28, 0, 59)), 1);
        assert_eq!(dutch_offset_hours(utc(2027, 3, 28, 1, 0)), 2);
    }

    #[test]
    fn summer_time_ends_on_the_last_sunday_of_october_at_one_utc() {
        // 2026-10-25 is the last Sunday of October: 03:00 local becomes 02:00.
        assert_eq!(
            hm(dutch_local(utc(2026, 10, 25, 0, 59))),
            "2026-10-25 02:59"
        );
        assert_eq!(hm(dutch_local(utc(2026, 10, 25, 1, 0))), "2026-10-25 02:00");
        assert_eq!(dutch_offset_hours(utc(2026, 10, 31, 12, 0)), 1);
    }

    #[test]
    fn the_dutch_day_starts_before_midnight_utc() {
        let late = utc(2026, 11, 23, 23, 30);
        assert_eq!(
            dutch_date(late),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
        );
        let summer_evening = utc(2026, 6, 30, 22, 0);
        assert_eq!(
            dutch_date(summer_evening),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default()
        );
    }
}
