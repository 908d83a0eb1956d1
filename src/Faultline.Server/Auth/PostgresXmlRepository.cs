using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Faultline.Server.Auth;

/// <summary>
/// Data Protection's key ring in the <c>data_protection_keys</c> table, so every server instance on
/// this database can decrypt what another encrypted (GitHub tokens, the sign-in cookie).
/// Data Protection calls these synchronously, and rarely (the ring is cached).
/// </summary>
internal sealed class PostgresXmlRepository(NpgsqlDataSource db) : IXmlRepository
{
    private const string SelectKeysSql = "SELECT xml FROM data_protection_keys ORDER BY id";

    private const string InsertKeySql = """
        INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)
        ON CONFLICT (friendly_name) DO UPDATE SET xml = EXCLUDED.xml
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenConnection();
        return connection.Query<string>(SelectKeysSql).Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenConnection();
        connection.Execute(InsertKeySql, new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
