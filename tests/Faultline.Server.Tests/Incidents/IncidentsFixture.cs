using System.Net.Http.Headers;
using Faultline.Testing;
using Faultline.Testing.Incidents;
using Microsoft.AspNetCore.Hosting;

namespace Faultline.Server.Tests.Incidents;

/// <summary>The in-memory server with test sign-in, and a helper that makes a user, a project and a client for it.</summary>
internal sealed class IncidentsFactory(string connectionString) : FaultlineFactory(connectionString)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseTestAuthentication();
    }

    public async Task<(TestProject Project, HttpClient Client)> CreateOwnerAsync(string connectionString)
    {
        var project = await TestData.CreateProjectAsync(connectionString);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuthentication.TokenFor(project.OwnerId));
        return (project, client);
    }
}
