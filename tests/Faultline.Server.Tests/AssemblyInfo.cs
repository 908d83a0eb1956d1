using Faultline.Testing;

[assembly: AssemblyFixture(typeof(TestPostgres))]
