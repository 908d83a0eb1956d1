using System.Text.Json;

namespace Faultline.LanguageServer.Tests.Units;

public sealed class SettingsTests
{
    [Theory]
    [InlineData("""{ "server": "https://f.example", "refresh_interval_seconds": 30 }""", "https://f.example", 30)]
    [InlineData("""{ "faultline": { "server": "https://f.example", "refreshIntervalSeconds": 15 } }""", "https://f.example", 15)]
    [InlineData("""{ "refresh_interval_seconds": 0 }""", null, 60)]
    [InlineData("""{ "server": "" }""", null, 60)]
    [InlineData("null", null, 60)]
    public void Read_EditorSettings_OverDefaults(string json, string? server, int interval)
    {
        var settings = Settings.Read(JsonDocument.Parse(json).RootElement, Settings.Default);

        Assert.Equal(new Settings(server, interval), settings);
    }
}
