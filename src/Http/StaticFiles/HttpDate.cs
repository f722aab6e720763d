namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// IMF-fixdate (RFC 9110 §5.6.7), e.g. <c>Sun, 06 Nov 1994 08:49:37 GMT</c>: formatting for
/// <c>Last-Modified</c> and parsing for <c>If-Modified-Since</c>.
/// </summary>
/// <remarks>
/// Only IMF-fixdate is parsed. §5.6.7 asks recipients to accept the obsolete rfc850 and asctime
/// forms too, but browsers echo our own Last-Modified back, and a date we do not parse only
/// makes us ignore If-Modified-Since and send the full 200, which is always a correct answer.
/// </remarks>
internal static class HttpDate
{
    /// <summary>Length of every IMF-fixdate.</summary>
    public const int Length = 29;

    private static ReadOnlySpan<byte> DayNames => "SunMonTueWedThuFriSat"u8;
    private static ReadOnlySpan<byte> MonthNames => "JanFebMarAprMayJunJulAugSepOctNovDec"u8;

    /// <summary>Writes <paramref name="utc"/> (seconds are truncated) as IMF-fixdate into 29 bytes.</summary>
    public static bool TryFormat(DateTime utc, Span<byte> destination)
    {
        if (destination.Length < Length || utc.Year > 9999)
            return false;
        DayNames.Slice((int)utc.DayOfWeek * 3, 3).CopyTo(destination);
        destination[3] = (byte)',';
        destination[4] = (byte)' ';
        Two(destination[5..], utc.Day);
        destination[7] = (byte)' ';
        MonthNames.Slice((utc.Month - 1) * 3, 3).CopyTo(destination[8..]);
        destination[11] = (byte)' ';
        Two(destination[12..], utc.Year / 100);
        Two(destination[14..], utc.Year % 100);
        destination[16] = (byte)' ';
        Two(destination[17..], utc.Hour);
        destination[19] = (byte)':';
        Two(destination[20..], utc.Minute);
        destination[22] = (byte)':';
        Two(destination[23..], utc.Second);
        " GMT"u8.CopyTo(destination[25..]);
        return true;

        static void Two(Span<byte> d, int v)
        {
            d[0] = (byte)('0' + v / 10);
            d[1] = (byte)('0' + v % 10);
        }
    }

    /// <summary>
    /// Parses an IMF-fixdate, surrounded by optional whitespace (RFC 9110 §5.5). The day name must
    /// agree with the date: a date that cannot be right is invalid, and invalid dates are ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out DateTime utc)
    {
        utc = default;
        value = value.Trim(" \t"u8);
        if (value.Length != Length
            || value[3] != ',' || value[4] != ' ' || value[7] != ' ' || value[11] != ' ' || value[16] != ' '
            || value[19] != ':' || value[22] != ':' || !value[25..].SequenceEqual(" GMT"u8))
            return false;

        int dayName = IndexOfName(DayNames, value[..3]);
        int month = IndexOfName(MonthNames, value.Slice(8, 3)) + 1;
        if (dayName < 0 || month == 0
            || !TwoDigits(value[5..], out int day) || !TwoDigits(value[12..], out int century) || !TwoDigits(value[14..], out int year)
            || !TwoDigits(value[17..], out int hour) || !TwoDigits(value[20..], out int minute) || !TwoDigits(value[23..], out int second))
            return false;

        year += century * 100;
        // §5.6.7 allows a leap second (60); DateTime cannot hold it, so it is invalid here.
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;

        var parsed = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        if ((int)parsed.DayOfWeek != dayName)
            return false;
        utc = parsed;
        return true;
    }

    private static int IndexOfName(ReadOnlySpan<byte> names, ReadOnlySpan<byte> name)
    {
        // Case-sensitive: RFC 9110 §5.6.7 day-name and month are %s"…" literals.
        for (int i = 0; i < names.Length; i += 3)
        {
            if (names.Slice(i, 3).SequenceEqual(name))
                return i / 3;
        }
        return -1;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, out int value)
    {
        int hi = s[0] - '0', lo = s[1] - '0';
        value = hi * 10 + lo;
        return (uint)hi <= 9 && (uint)lo <= 9;
    }
}
