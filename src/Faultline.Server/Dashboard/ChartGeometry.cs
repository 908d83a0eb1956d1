using System.Globalization;

namespace Faultline.Server.Dashboard;

/// <summary>
/// The incidents-per-hour chart's geometry in SVG user units: one bar per hour, a y scale rounded up
/// to 1, 2 or 5 × 10ⁿ, and a label at each UTC midnight. Pure arithmetic, so the SVG is plain markup.
/// </summary>
internal sealed class ChartGeometry
{
    public const double Left = 40;
    public const double Top = 10;
    public const double BarStep = 4;
    public const double BarWidth = 3;
    public const double PlotHeight = 120;
    public const double Bottom = 24;

    public ChartGeometry(HourlyCounts hourly)
    {
        Hourly = hourly;
        Total = hourly.Counts.Sum();
        var peak = hourly.Counts.Count == 0 ? 0 : hourly.Counts.Max();
        Scale = NiceCeiling(Math.Max(peak, 1));
        PeakIndex = peak == 0 ? -1 : hourly.Counts.ToList().IndexOf(peak);
    }

    public HourlyCounts Hourly { get; }

    public long Total { get; }

    /// <summary>The y axis' top value.</summary>
    public long Scale { get; }

    public int PeakIndex { get; }

    public double Width => Left + (Hourly.Counts.Count * BarStep) + 8;

    /// <summary>Grid lines at 0 and the top, and halfway when that is a whole number.</summary>
    public IEnumerable<double> GridFractions() => Scale % 2 == 0 ? [0.0, 0.5, 1.0] : [0.0, 1.0];

    /// <summary>A day's label (about 40 units wide) fits before the right edge.</summary>
    public bool HasRoomForLabel(int index) => X(index) + 40 <= Width;

    public double Height => Top + PlotHeight + Bottom;

    public double Baseline => Top + PlotHeight;

    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public DateTimeOffset HourAt(int index) => Hourly.Start.AddHours(index);

    public double X(int index) => Left + (index * BarStep);

    public double BarHeight(long count) => count == 0 ? 0 : Math.Max(1, PlotHeight * count / Scale);

    /// <summary>Indexes of the hours that start a UTC day, for the x labels.</summary>
    public IEnumerable<int> DayStarts() =>
        Enumerable.Range(0, Hourly.Counts.Count).Where(i => HourAt(i).UtcDateTime.Hour == 0);

    public string Summary() => PeakIndex < 0
        ? "No incidents in the last 7 days."
        : $"{Display.Count(Total, "incident")} in the last 7 days; the busiest hour was {Display.Time(HourAt(PeakIndex))} with {Display.Count(Hourly.Counts[PeakIndex])}.";

    internal static long NiceCeiling(long value)
    {
        long magnitude = 1;
        while (magnitude * 10 <= value)
        {
            magnitude *= 10;
        }

        foreach (var step in new long[] { 1, 2, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
