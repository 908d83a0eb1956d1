using Faultline.Server.Database;
using Faultline.Testing;
using Npgsql;

namespace Faultline.Server.Tests.Database;

public sealed class DataSourceSettingsTests(TestPostgres postgres)
{
    [Fact]
    public async Task CreateDataSource_WithoutSettings_PreparesStatementsReadsLargeBuffersAndSkipsResets()
    {
        await using var dataSource = DatabaseExtensions.CreateDataSource("Host=localhost;Username=u;Database=d");

        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        Assert.Equal((64, 64 * 1024, true), (settings.MaxAutoPrepare, settings.ReadBufferSize, settings.NoResetOnClose));
    }

    [Theory]
    [InlineData("Host=localhost;Max Auto Prepare=0;Read Buffer Size=8192;No Reset On Close=false", 0, 8192, false)]
    [InlineData("Host=localhost;maxautoprepare=5;READ BUFFER SIZE=16384;noresetonclose=false", 5, 16384, false)]
    public async Task CreateDataSource_WithSettingsInTheConnectionString_KeepsThem(string connectionString, int prepare, int buffer, bool noReset)
    {
        await using var dataSource = DatabaseExtensions.CreateDataSource(connectionString);

        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        Assert.Equal((prepare, buffer, noReset), (settings.MaxAutoPrepare, settings.ReadBufferSize, settings.NoResetOnClose));
    }

    [Theory]
    [InlineData(false, "auto")]
    [InlineData(true, "force_generic_plan")]
    public async Task CreateDataSource_GenericPlans_SetsThePlanCacheModeOfEveryConnection(bool genericPlans, string expected)
    {
        await using var dataSource = DatabaseExtensions.CreateDataSource(postgres.ConnectionString, genericPlans);

        // Two connections at once: each physical connection is set up, not only the first.
        await using var first = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var second = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        foreach (var connection in (NpgsqlConnection[])[first, second])
        {
            await using var command = new NpgsqlCommand("SHOW plan_cache_mode", connection);
            Assert.Equal(expected, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
    }
}
