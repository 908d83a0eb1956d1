using Faultline.Dashboard.Tests;
using Faultline.Testing;

[assembly: AssemblyFixture(typeof(TestPostgres))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
